"""A school's statement goes round the review loop and ends in an award, as people would do it.

The teacher submits a Statement of Commitment; the reviewer comments on a section and returns
it; the teacher reads the feedback beside the draft, changes an answer, signs off again and
resubmits; the reviewer sees the change marked and approves. The teacher then uploads
evidence, writes the Statement of Impact and applies for Gold; the reviewer judges every
strand Gold and awards it. Each person has their own browser context; axe-core runs on every
page visited.
"""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import (
    BridgeMembershipFactory,
    SchoolFactory,
    SchoolMembershipFactory,
    bridge_organisation,
    local_authority,
)
from journeys.enums import ReviewDecision, ReviewKind, Stage
from journeys.models import Award, Journey
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement
from tests.browser import check_accessibility, click, login, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCHOOL = "Larkspur Primary School"
COMMENT = "Say which year groups take part, and how often."
FEEDBACK = "A good start: make the school context more specific before we approve."
NEW_WORDS = "Years 3 to 6 perform termly"
REFLECTION = "Every class performed this year; 82% of pupils performed to an audience."


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def cast():
    school = SchoolFactory(name=SCHOOL, urn=123998, local_authority=local_authority("316"))
    lead = UserFactory(email="lead.review@example.test", full_name="Lena Ford")
    SchoolMembershipFactory(user=lead, school=school, role=SchoolMembership.Role.LEAD)
    organisation = bridge_organisation("a-new-direction")
    reviewer = BridgeMembershipFactory(
        user=UserFactory(email="reviewer.review@example.test", full_name="Rita Reviewer"),
        organisation=organisation,
    ).user
    journey = JourneyFactory(school=school)
    complete_statement(journey=journey, lead=lead)
    return {"journey": journey, "lead": lead, "reviewer": reviewer, "organisation": organisation}


def test_statement_is_returned_resubmitted_approved_and_awarded_gold(live_server, new_page, cast):
    journey, lead, reviewer = cast["journey"], cast["lead"], cast["reviewer"]
    base = live_server.url
    section = journey.framework.sections.order_by("order", "pk").first()
    journey_url = base + reverse("journeys:detail", args=[journey.pk])
    queue_url = base + reverse("journeys:review_queue", args=[cast["organisation"].pk])

    # 1. The teacher checks the statement and submits it.
    teacher = new_page()
    login(teacher, live_server, lead.email, PASSWORD)
    check_accessibility(teacher)
    visit(teacher, base + reverse("journeys:check", args=[journey.pk]))
    assert teacher.locator("ul.problems").count() == 0
    click(teacher, "button", "Submit Statement of Commitment")
    assert teacher.get_by_text("has been submitted").first.is_visible()
    journey.refresh_from_db()
    assert journey.stage == Stage.COMMITMENT_SUBMITTED

    # 2. The reviewer takes it, comments on a section and returns it with feedback.
    reviewing = new_page()
    login(reviewing, live_server, reviewer.email, PASSWORD)
    check_accessibility(reviewing)
    click(reviewing, "link", "Open the review queue")
    assert reviewing.url.startswith(queue_url)
    click(reviewing, "link", SCHOOL, exact=True)
    click(reviewing, "button", "Take this submission")
    comment_box = reviewing.get_by_label(f"Your comment on {section.title}", exact=True)
    comment_box.fill(COMMENT)
    reviewing.get_by_role("button", name=f"Save comment on {section.title}").click()
    reviewing.locator(f"#comment-status-{section.slug}").get_by_text("Comment saved").wait_for()
    # Leave the hovered button so that axe does not measure it mid-way through its colour
    # transition.
    reviewing.mouse.move(0, 0)
    reviewing.wait_for_timeout(400)
    check_accessibility(reviewing)
    reviewing.get_by_label("Return it to the school with feedback").check()
    reviewing.get_by_label("Feedback for the school").fill(FEEDBACK)
    click(reviewing, "button", "Record the decision")
    journey.refresh_from_db()
    assert journey.stage == Stage.COMMITMENT_RETURNED
    assert journey.reviews.get().decision == ReviewDecision.RETURNED

    # 3. The teacher reads the feedback beside the draft, changes an answer, signs off again
    #    and resubmits.
    visit(teacher, journey_url)
    assert teacher.get_by_text(FEEDBACK).first.is_visible()
    visit(teacher, base + reverse("journeys:commitment", args=[journey.pk]))
    task_list_url = teacher.url
    feedback = teacher.get_by_role("region", name="Feedback from your Bridge Organisation")
    assert feedback.get_by_text(FEEDBACK).is_visible()
    assert feedback.get_by_text(f"Comment on “{section.title}”").is_visible()
    assert feedback.get_by_text(COMMENT).is_visible()
    click(teacher, "link", section.title, exact=True)
    assert teacher.get_by_text(COMMENT).is_visible()
    answer = teacher.locator("textarea[data-word-count]").first
    answer.fill(f"{NEW_WORDS}. " + answer.input_value())
    teacher.get_by_role("button", name="Save and return to the task list").click()
    teacher.wait_for_url(task_list_url)
    check_accessibility(teacher)
    click(teacher, "link", "Headteacher and chair of governors' sign-off", exact=True)
    today = timezone.localdate().isoformat()
    teacher.get_by_label("Headteacher's name").fill("Dr Jane Evans")
    teacher.get_by_label("Date the headteacher signed off").fill(today)
    teacher.get_by_label("Chair of governors' name").fill("Mr Raj Patel")
    teacher.get_by_label("Date the chair of governors signed off").fill(today)
    teacher.get_by_label("I confirm that the headteacher").check()
    click(teacher, "button", "Record sign-off")
    # Recording the sign-off leads to the check page.
    assert teacher.url == base + reverse("journeys:check", args=[journey.pk])
    assert teacher.locator("ul.problems").count() == 0
    click(teacher, "button", "Submit Statement of Commitment")
    journey.refresh_from_db()
    assert journey.stage == Stage.COMMITMENT_SUBMITTED

    # 4. The reviewer sees what changed, marked, and approves.
    visit(reviewing, queue_url)
    click(reviewing, "link", SCHOOL, exact=True)
    assert reviewing.get_by_text("This is a resubmission").is_visible()
    changed = reviewing.locator(f"#part-{section.slug}")
    inserted = " ".join(changed.locator("ins").all_inner_texts())
    assert "Years 3 to 6" in inserted and "termly" in inserted
    reviewing.get_by_label("Approve: the school becomes Artsmark Certified").check()
    reviewing.get_by_label("Feedback for the school").fill("A clear, ambitious plan.")
    click(reviewing, "button", "Record the decision")
    journey.refresh_from_db()
    assert journey.stage == Stage.CERTIFIED

    # 5. The teacher is Artsmark Certified, uploads evidence and writes the Statement of
    #    Impact, applying for Gold.
    visit(teacher, journey_url)
    assert teacher.get_by_role("heading", name="Stage: Artsmark Certified").is_visible()
    click(teacher, "link", "Evidence locker", exact=True)
    click(teacher, "link", "Upload evidence", exact=True)
    teacher.get_by_label("File*", exact=True).set_input_files(
        {"name": "year-6-concert.png", "mimeType": "image/png", "buffer": _png()}
    )
    teacher.get_by_label("Title (optional)").fill("Year 6 concert")
    teacher.get_by_label("Every pupil performs to an audience").check()
    click(teacher, "button", "Upload")
    assert teacher.get_by_role("heading", name="Year 6 concert").is_visible()

    visit(teacher, journey_url)
    click(teacher, "link", "Start your Statement of Impact")
    impact_url = teacher.url
    hrefs = [
        link.get_attribute("href")
        for link in teacher.locator("ul.task-list").first.get_by_role("link").all()
    ]
    assert len(hrefs) == 2
    for href in hrefs:
        visit(teacher, base + href)
        teacher.get_by_label("Your reflection").fill(REFLECTION)
        teacher.get_by_label("I have completed this reflection").check()
        teacher.get_by_role("button", name="Save and return to the task list").click()
        teacher.wait_for_url(impact_url)
        check_accessibility(teacher)

    click(teacher, "link", "Final self-assessment", exact=True)
    for fieldset in teacher.locator("fieldset[id^=principle-]").all():
        fieldset.get_by_label("Embedded", exact=True).check()
        fieldset.locator("textarea").fill("Pupils lead the arts council.")
    teacher.get_by_role("button", name="Save and return to the task list").click()
    teacher.wait_for_url(impact_url)
    check_accessibility(teacher)

    click(teacher, "link", "Evidence from your locker", exact=True)
    teacher.get_by_label("Year 6 concert").check()
    teacher.get_by_role("button", name="Save and return to the task list").click()
    teacher.wait_for_url(impact_url)
    check_accessibility(teacher)

    click(teacher, "link", "Level you are applying for", exact=True)
    teacher.get_by_label("Gold", exact=True).check()
    teacher.get_by_label("Why this level? (optional)").fill("We meet Gold on every strand.")
    teacher.get_by_role("button", name="Save and return to the task list").click()
    teacher.wait_for_url(impact_url)
    check_accessibility(teacher)

    click(teacher, "link", "Check your answers and submit", exact=True)
    assert teacher.locator("ul.problems").count() == 0
    click(teacher, "button", "Submit Statement of Impact")
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_SUBMITTED

    # 6. The reviewer judges every strand Gold and awards Gold.
    review = journey.reviews.get(kind=ReviewKind.IMPACT, decision="")
    visit(reviewing, queue_url)
    click(reviewing, "link", SCHOOL, exact=True)
    assert reviewing.url == base + reverse("journeys:assess", args=[review.pk])
    assert reviewing.get_by_text("Year 6 concert").first.is_visible()
    strands = reviewing.locator("fieldset[id^=strand-]")
    assert strands.count() == journey.framework.strands.count()
    for fieldset in strands.all():
        fieldset.get_by_label("Gold", exact=True).check()
    reviewing.get_by_label("Award a level").check()
    reviewing.get_by_role("group", name="Level to award").get_by_label("Gold", exact=True).check()
    reviewing.get_by_label("Feedback for the school").fill("Pupils lead; a Gold school.")
    click(reviewing, "button", "Record the decision")
    assert reviewing.get_by_role("heading", name="Decision: Awarded, Gold").is_visible()

    # 7. The teacher sees the award on the journey page.
    visit(teacher, journey_url)
    assert teacher.get_by_role("heading", name="Stage: Awarded").is_visible()
    assert teacher.get_by_role("heading", name="Artsmark Gold").is_visible()

    journey = Journey.objects.get(pk=journey.pk)
    assert journey.stage == Stage.AWARDED
    assert Award.objects.get(journey=journey).level == "gold"
