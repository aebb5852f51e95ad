import pytest
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import BridgeMembership
from artsmark.schools.tests.factories import BridgeMembershipFactory
from journeys.enums import ReviewDecision, Stage
from journeys.models import FeedbackRequest, Framework, Journey, Review, ReviewComment
from journeys.services import commitment
from journeys.services.reviews import decide_commitment, save_comment
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement, sign_off
from tests.queries import count_page_queries


def submitted(world, goals=2):
    """School A's journey with a submitted Statement of Commitment; its open review."""
    journey = JourneyFactory(school=world.school_a, stage=Stage.REGISTERED)
    complete_statement(journey=journey, lead=world.teacher_a, goals=goals)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    return journey.reviews.get()


def returned(world, review, feedback="Say how pupils lead the arts council."):
    decide_commitment(
        review=review,
        actor=world.reviewer_a,
        decision=ReviewDecision.RETURNED,
        feedback=feedback,
        version_number=review.version_number,
    )
    return review


def resubmit(world, journey):
    """Change the first section's first answer and the first goal, then submit again."""
    section = journey.framework.sections.order_by("order", "id").first()
    draft = journey.section_drafts.get(section=section)
    answers = commitment.section_answers(journey=journey, section=section)
    first = next(iter(answers))
    answers[first] = answers[first].replace("find their voice", "grow in confidence")
    commitment.save_section(
        journey=journey,
        section=section,
        answers=answers,
        based_on_version=draft.version,
        actor=world.teacher_a,
        completed=True,
    )
    goal = journey.goals.order_by("order", "id").first()
    commitment.update_goal(
        goal=goal,
        actor=world.teacher_a,
        title=goal.title,
        description=goal.description,
        quality_principles=goal.quality_principles,
        strands=goal.strands,
        art_forms=goal.art_forms,
        actions=goal.actions,
        success_measure="Share of pupils who perform each term.",
        baseline=goal.baseline,
        timescale=goal.timescale,
        lead_name=goal.lead_name,
    )
    sign_off(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    return journey.reviews.get(decision="")


def url(name, review):
    return reverse(f"journeys:{name}", kwargs={"review_pk": review.pk})


def state(journey):
    """The journey's stage and every review row, to show that nothing changed."""
    journey = Journey.objects.get(pk=journey.pk)
    reviews = list(
        Review.objects.filter(journey=journey)
        .order_by("pk")
        .values("pk", "decision", "feedback", "decided_by", "decided_at", "assigned_to")
    )
    return journey.stage, reviews


# --- Reading a submission -----------------------------------------------------------------


def test_review_page_shows_the_version_with_labels_and_comment_boxes(world, client_for):
    review = submitted(world)
    response = client_for(world.reviewer_a).get(url("review", review))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Every pupil performs to an audience" in content
    assert "Actively involving children and young people" in content
    assert "Theatre and drama" in content
    assert "Secure" in content
    assert "involving," not in content  # labels, not slugs
    assert 'name="part" value="goals"' in content
    assert 'name="part" value="self-assessment"' in content
    assert 'name="part" value="general"' in content
    assert 'name="version_number"' in content
    assert "<details>" not in content  # a first submission: nothing is folded away


def test_review_page_of_another_region_is_404_for_its_reviewer(world, client_for):
    review = submitted(world)
    client = client_for(world.reviewer_other)
    journey = review.journey
    asked = FeedbackRequest.objects.create(journey=journey, kind="commitment")
    gets = [
        url("review", review),
        reverse("journeys:withdraw", kwargs={"pk": journey.pk}),
        reverse("journeys:feedback_answer", kwargs={"feedback_pk": asked.pk}),
    ]
    posts = [url(name, review) for name in ("review_comment", "review_assign", "review_decide")]
    posts.append(reverse("journeys:feedback_request", kwargs={"pk": journey.pk}))
    assert [client.get(u).status_code for u in gets] == [404, 404, 404]
    assert [client.post(u, {"decision": "approved"}).status_code for u in posts] == [404] * 4
    assert state(journey)[0] == Stage.COMMITMENT_SUBMITTED


_count_queries = count_page_queries


@pytest.mark.parametrize("resubmitted", [False, True])
def test_review_page_query_count_same_with_1_and_10_goals(world, client_for, resubmitted):
    Framework.objects.update(min_goals=1)
    client = client_for(world.reviewer_a)
    counts = []
    for goals in (1, 10):
        Journey.objects.all().delete()
        review = submitted(world, goals=goals)
        if resubmitted:
            save_comment(review=review, actor=world.reviewer_a, part="goals", text="Measure it.")
            returned(world, review)
            review = resubmit(world, review.journey)
        counts.append(_count_queries(client, url("review", review)))
    assert counts[0] == counts[1]


# --- Deciding -----------------------------------------------------------------------------


def test_approving_certifies_the_school_and_emails_its_members(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    review = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.reviewer_a).post(
            url("review_decide", review),
            {
                "decision": "approved",
                "feedback": "A strong, well-evidenced plan.",
                "version_number": 1,
            },
        )
    assert response.status_code == 302
    journey, reviews = state(review.journey)
    assert journey == Stage.CERTIFIED
    assert reviews[0]["decision"] == ReviewDecision.APPROVED
    assert reviews[0]["decided_by"] == world.reviewer_a.pk
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    body = mailoutbox[0].body
    assert "A strong, well-evidenced plan." in body
    assert "Artsmark Certified" in body
    assert "What happens next" in body
    assert reverse("journeys:detail", kwargs={"pk": review.journey_id}) in body
    page = client_for(world.reviewer_a).get(url("review", review)).content.decode()
    assert "Approved: Artsmark Certified" in page
    assert 'name="decision"' not in page  # decided: read-only


def test_returning_emails_the_feedback(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    review = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.reviewer_a).post(
            url("review_decide", review),
            {"decision": "returned", "feedback": "Make goal 2 measurable.", "version_number": 1},
        )
    assert state(review.journey)[0] == Stage.COMMITMENT_RETURNED
    assert len(mailoutbox) == 1
    assert "Make goal 2 measurable." in mailoutbox[0].body
    assert "returned" in mailoutbox[0].subject


def test_return_without_feedback_is_refused_and_changes_nothing(world, client_for):
    review = submitted(world)
    before = state(review.journey)
    response = client_for(world.reviewer_a).post(
        url("review_decide", review), {"decision": "returned", "feedback": " ", "version_number": 1}
    )
    assert response.status_code == 400
    assert b"Write feedback for the school" in response.content
    assert b"There is a problem" in response.content
    assert state(review.journey) == before
    assert before[0] == Stage.COMMITMENT_SUBMITTED


def test_decision_after_someone_else_decided_is_refused(world, client_for):
    review = submitted(world)
    decide_commitment(
        review=review, actor=world.admin, decision="approved", feedback="", version_number=1
    )
    before = state(review.journey)
    response = client_for(world.reviewer_a).post(
        url("review_decide", review),
        {"decision": "returned", "feedback": "Change it.", "version_number": 1},
    )
    assert response.status_code == 409
    assert b"already decided on this submission" in response.content
    assert b"Nothing has been changed" in response.content
    assert state(review.journey) == before
    assert before[0] == Stage.CERTIFIED
    assert before[1][0]["decided_by"] == world.admin.pk


def test_decision_on_an_older_version_is_refused(world, client_for):
    first = returned(world, submitted(world))
    second = resubmit(world, first.journey)
    before = state(first.journey)
    client = client_for(world.reviewer_a)
    # The page showed version 1, but the school has submitted version 2 since.
    response = client.post(
        url("review_decide", second), {"decision": "approved", "version_number": 1}
    )
    assert response.status_code == 409
    assert b"submitted a newer version" in response.content
    # And the old review itself is decided already.
    old = client.post(url("review_decide", first), {"decision": "approved", "version_number": 1})
    assert old.status_code == 409
    assert state(first.journey) == before
    assert before[0] == Stage.COMMITMENT_SUBMITTED


def test_junk_decision_is_a_clear_400(world, client_for):
    review = submitted(world)
    response = client_for(world.reviewer_a).post(
        url("review_decide", review), {"decision": "awarded", "version_number": "x"}
    )
    assert response.status_code == 400
    assert state(review.journey)[0] == Stage.COMMITMENT_SUBMITTED


# --- What changed since the returned version ----------------------------------------------


def test_resubmission_shows_inserted_and_deleted_words(world, client_for):
    review = resubmit(world, returned(world, submitted(world)).journey)
    response = client_for(world.reviewer_a).get(url("review", review))
    content = response.content.decode()
    assert "This is a resubmission" in content
    assert "grow in confidence" in content
    assert '<ins><span class="visually-hidden">[added: </span>grow in confidence' in content
    assert '<del><span class="visually-hidden">[removed: </span>find their voice' in content
    assert "each term." in content  # the goal's changed success measure
    assert "<details><summary>Show the unchanged answers</summary>" in content
    assert "<details><summary>Show the unchanged self-assessment</summary>" in content
    sections = response.context["sections"]
    assert [s["changed"] for s in sections].count(True) == 1
    assert response.context["goals_changed"]


# --- Comments and assignment --------------------------------------------------------------


def test_comment_without_javascript_saves_and_returns(world, client_for):
    review = submitted(world)
    response = client_for(world.reviewer_a).post(
        url("review_comment", review), {"part": "goals", "text": "Goal 2 needs a number."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#part-goals")
    assert ReviewComment.objects.get(review=review, part="goals").text == "Goal 2 needs a number."


def test_comment_with_htmx_answers_a_status(world, client_for):
    review = submitted(world)
    client = client_for(world.reviewer_a)
    response = client.post(
        url("review_comment", review), {"part": "general", "text": "Clear."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Comment saved" in response.content
    unknown = client.post(
        url("review_comment", review), {"part": "nope", "text": "x"}, HTTP_HX_REQUEST="true"
    )
    assert unknown.status_code == 400
    assert ReviewComment.objects.filter(review=review).count() == 1


def test_reviewer_takes_a_submission(world, client_for):
    review = submitted(world)
    client_for(world.reviewer_a).post(url("review_assign", review))
    assert Review.objects.get(pk=review.pk).assigned_to == world.reviewer_a


def test_lead_assigns_a_colleague_who_is_emailed(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    review = submitted(world)
    BridgeMembership.objects.filter(user=world.reviewer_a).update(role=BridgeMembership.Role.LEAD)
    colleague = BridgeMembershipFactory(user=UserFactory(email="colleague@example.test")).user
    page = client_for(world.reviewer_a).get(url("review", review))
    assert b"Assign to a colleague" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.reviewer_a).post(url("review_assign", review), {"reviewer": colleague.pk})
    assert Review.objects.get(pk=review.pk).assigned_to == colleague
    assert [m.to for m in mailoutbox] == [["colleague@example.test"]]
    assert url("review", review) in mailoutbox[0].body


def test_a_reviewer_who_is_not_a_lead_cannot_assign_others(world, client_for):
    review = submitted(world)
    colleague = BridgeMembershipFactory(user=UserFactory()).user
    response = client_for(world.reviewer_a).post(
        url("review_assign", review), {"reviewer": colleague.pk}, follow=True
    )
    assert b"Only an organisation lead can assign" in response.content
    assert Review.objects.get(pk=review.pk).assigned_to is None


# --- The school reads the feedback beside its draft ---------------------------------------


def test_school_sees_feedback_and_comments_beside_its_draft(world, client_for):
    review = submitted(world)
    section = review.journey.framework.sections.order_by("order", "id").first()
    save_comment(review=review, actor=world.reviewer_a, part=section.slug, text="Say more here.")
    save_comment(review=review, actor=world.reviewer_a, part="goals", text="Measure goal 2.")
    save_comment(
        review=review, actor=world.reviewer_a, part="self-assessment", text="Rate honestly."
    )
    returned(world, review, feedback="Nearly there.")
    client = client_for(world.teacher_a)
    pk = review.journey_id
    task_list = client.get(reverse("journeys:commitment", kwargs={"pk": pk})).content.decode()
    assert "Nearly there." in task_list
    assert "Say more here." in task_list and "Measure goal 2." in task_list
    assert f"Comment on “{section.title}”" in task_list
    section_page = client.get(
        reverse("journeys:section", kwargs={"pk": pk, "section_pk": section.pk})
    ).content.decode()
    assert "Say more here." in section_page and "Measure goal 2." not in section_page
    goals_page = client.get(reverse("journeys:goals", kwargs={"pk": pk})).content.decode()
    assert "Measure goal 2." in goals_page and "Say more here." not in goals_page
    assessment = client.get(reverse("journeys:self_assessment", kwargs={"pk": pk}))
    assert "Rate honestly." in assessment.content.decode()
    detail = client.get(reverse("journeys:detail", kwargs={"pk": pk})).content.decode()
    assert "Returned with feedback" in detail and "Nearly there." in detail
    # Members may read the decided review, with its comments, but not act on it.
    page = client.get(url("review", review))
    assert page.status_code == 200
    assert b"Say more here." in page.content
    assert b'name="decision"' not in page.content


@pytest.mark.parametrize("name", ["journeys:commitment", "journeys:goals", "journeys:detail"])
def test_returned_pages_query_count_same_with_2_and_10_goals(world, client_for, name):
    client = client_for(world.teacher_a)
    counts = []
    for goals in (2, 10):
        Journey.objects.all().delete()
        review = submitted(world, goals=goals)
        save_comment(review=review, actor=world.reviewer_a, part="goals", text="More.")
        returned(world, review)
        counts.append(_count_queries(client, reverse(name, kwargs={"pk": review.journey_id})))
    assert counts[0] == counts[1]


# --- Informal feedback --------------------------------------------------------------------


def test_informal_feedback_asked_and_answered_without_changing_the_stage(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    journey = JourneyFactory(school=world.school_a)
    detail = reverse("journeys:detail", kwargs={"pk": journey.pk})
    assert b"Ask for feedback" in client_for(world.teacher_a).get(detail).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.teacher_a).post(
            reverse("journeys:feedback_request", kwargs={"pk": journey.pk}),
            {"message": "Are our goals measurable?"},
        )
    assert response.status_code == 302
    asked = FeedbackRequest.objects.get(journey=journey)
    assert [m.to for m in mailoutbox] == [[world.reviewer_a.email]]
    assert "Are our goals measurable?" in mailoutbox[0].body

    organisation = world.reviewer_a.bridge_memberships.get().organisation
    listing = client_for(world.reviewer_a).get(
        reverse("journeys:feedback_requests", kwargs={"organisation_pk": organisation.pk})
    )
    assert world.school_a.name.encode() in listing.content
    answer_url = reverse("journeys:feedback_answer", kwargs={"feedback_pk": asked.pk})
    empty = client_for(world.reviewer_a).post(answer_url, {"answer": ""})
    assert empty.status_code == 400
    assert b"Write your feedback before sending it." in empty.content
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.reviewer_a).post(answer_url, {"answer": "Add a baseline to goal 2."})
    assert mailoutbox[-1].to == [world.teacher_a.email]
    assert "Add a baseline to goal 2." in mailoutbox[-1].body
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT
    page = client_for(world.teacher_a).get(detail).content
    assert b"Add a baseline to goal 2." in page
    again = client_for(world.reviewer_a).post(answer_url, {"answer": "Twice."})
    assert b"already been answered" in again.content


def test_reviewer_cannot_ask_for_feedback_and_member_cannot_answer(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    ask = reverse("journeys:feedback_request", kwargs={"pk": journey.pk})
    assert client_for(world.reviewer_a).post(ask).status_code == 403
    asked = FeedbackRequest.objects.create(journey=journey, kind="commitment")
    answer = reverse("journeys:feedback_answer", kwargs={"feedback_pk": asked.pk})
    assert client_for(world.teacher_a).post(answer, {"answer": "Me."}).status_code == 403
    assert client_for(world.teacher_b).post(answer, {"answer": "Me."}).status_code == 404
    assert FeedbackRequest.objects.get(pk=asked.pk).answered_at is None


# --- Withdrawal ---------------------------------------------------------------------------


def test_reviewer_withdraws_a_journey_with_a_reason(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    review = submitted(world)
    address = reverse("journeys:withdraw", kwargs={"pk": review.journey_id})
    client = client_for(world.reviewer_a)
    assert client.get(address).status_code == 200
    assert client_for(world.teacher_a).get(address).status_code == 403
    missing = client.post(address, {"reason": ""})
    assert missing.status_code == 400
    assert b"Give the reason for withdrawing the journey." in missing.content
    assert state(review.journey)[0] == Stage.COMMITMENT_SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"reason": "The school has closed."})
    assert response.status_code == 302
    stage, reviews = state(review.journey)
    assert stage == Stage.WITHDRAWN
    assert reviews[0]["decision"] == ReviewDecision.WITHDRAWN
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    assert "The school has closed." in mailoutbox[0].body
    again = client.get(address, follow=True)
    assert b"already ended" in again.content
