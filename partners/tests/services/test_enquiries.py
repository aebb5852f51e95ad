import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from journeys.models import Partnership
from journeys.tests.factories import GoalFactory, JourneyFactory
from partners.enums import EnquiryStatus
from partners.models import Enquiry
from partners.services.enquiries import accept_enquiry, close_enquiry, reply, send_enquiry
from partners.tests.factories import PartnerMembershipFactory, published_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_setup(world):
    organisation = published_organisation(name="Canal Arts")
    staff = PartnerMembershipFactory(organisation=organisation).user
    journey = JourneyFactory(school=world.school_a)
    goal = GoalFactory(journey=journey)
    return organisation, staff, journey, goal


def test_enquiry_thread_accept_becomes_partnership(
    partner_setup, world, client_for, django_capture_on_commit_callbacks
):
    organisation, staff, journey, goal = partner_setup
    teacher = client_for(world.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(
            reverse("partners:send_enquiry", args=[organisation.pk]),
            {
                "school": world.school_a.pk,
                "goal": goal.pk,
                "subject": "Drama club",
                "body": "Could you run a drama club?",
            },
        )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert mail.outbox[-1].to == [staff.email]
    assert enquiry.goal == goal
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            reverse("partners:enquiry", args=[enquiry.pk]), {"body": "Yes, on Tuesdays."}
        )
    assert mail.outbox[-1].to == [world.teacher_a.email]
    page = teacher.get(reverse("partners:enquiry", args=[enquiry.pk])).content.decode()
    assert "Could you run a drama club?" in page
    assert "Yes, on Tuesdays." in page
    teacher.post(reverse("partners:accept_enquiry", args=[enquiry.pk]))
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ACCEPTED
    partnership = Partnership.objects.get(journey=journey)
    assert (partnership.partner_name, partnership.goal, partnership.source) == (
        "Canal Arts",
        goal,
        "enquiry",
    )
    assert enquiry.partnership == partnership


def test_enquiry_accept_needs_partner_reply_and_open_journey(partner_setup, world):
    organisation, staff, journey, _ = partner_setup
    enquiry = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Hi",
        body="Hello",
    )
    with pytest.raises(ValidationError):
        accept_enquiry(enquiry=enquiry, actor=world.teacher_a)
    reply(enquiry=enquiry, author=staff, body="Hello back")
    with pytest.raises(PermissionDenied):
        accept_enquiry(enquiry=enquiry, actor=staff)
    journey.stage = "withdrawn"
    journey.save()
    with pytest.raises(ValidationError):
        accept_enquiry(enquiry=enquiry, actor=world.teacher_a)
    assert Partnership.objects.count() == 0


def test_enquiry_either_side_closes_and_then_no_replies(partner_setup, world):
    organisation, staff, _, _ = partner_setup
    enquiry = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Hi",
        body="Hello",
    )
    close_enquiry(enquiry=enquiry, actor=staff)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.CLOSED
    with pytest.raises(ValidationError):
        reply(enquiry=enquiry, author=world.teacher_a, body="Wait")


def test_enquiry_outsiders_cannot_reply_or_read(partner_setup, world, client_for):
    organisation, _, _, _ = partner_setup
    enquiry = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Hi",
        body="Private words",
    )
    with pytest.raises(PermissionDenied):
        reply(enquiry=enquiry, author=world.teacher_b, body="Intrusion")
    other_staff = PartnerMembershipFactory(organisation=published_organisation()).user
    for user in [world.teacher_b, other_staff, world.reviewer_a]:
        response = client_for(user).get(reverse("partners:enquiry", args=[enquiry.pk]))
        assert response.status_code == 404


def test_enquiry_to_unpublished_organisation_is_refused(world):
    from partners.tests.factories import PartnerOrganisationFactory

    with pytest.raises(ValidationError):
        send_enquiry(
            organisation=PartnerOrganisationFactory(),
            school=world.school_a,
            sender=world.teacher_a,
            subject="Hi",
            body="Hello",
        )


def test_enquiry_with_another_schools_goal_is_refused(partner_setup, world, client_for):
    organisation, _, _, _ = partner_setup
    other_goal = GoalFactory(journey=JourneyFactory(school=world.school_b))
    response = client_for(world.teacher_a).post(
        reverse("partners:send_enquiry", args=[organisation.pk]),
        {"school": world.school_a.pk, "goal": other_goal.pk, "subject": "x", "body": "y"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert Enquiry.objects.count() == 0


def _post_enquiry(client, organisation, school, subject="Drama club"):
    return client.post(
        reverse("partners:send_enquiry", args=[organisation.pk]),
        {"school": school.pk, "subject": subject, "body": "Could you run a drama club?"},
    )


def test_enquiry_duplicate_open_one_is_refused_with_link(partner_setup, world, client_for):
    organisation, _, _, _ = partner_setup
    teacher = client_for(world.teacher_a)
    first = _post_enquiry(teacher, organisation, world.school_a)
    assert first.status_code == 302
    existing = Enquiry.objects.get()
    again = _post_enquiry(teacher, organisation, world.school_a, subject="Drama club again")
    page = again.content.decode()
    assert again.status_code == 200
    assert "already has an open enquiry to Canal Arts" in page
    assert reverse("partners:enquiry", args=[existing.pk]) in page
    assert list(Enquiry.objects.values_list("pk", flat=True)) == [existing.pk]


def test_enquiry_duplicate_allowed_after_the_first_is_closed(partner_setup, world):
    organisation, staff, _, _ = partner_setup
    kwargs = {
        "organisation": organisation,
        "school": world.school_a,
        "sender": world.teacher_a,
        "subject": "Hi",
        "body": "Hello",
    }
    first = send_enquiry(**kwargs)
    with pytest.raises(ValidationError):
        send_enquiry(**kwargs)
    assert Enquiry.objects.count() == 1
    close_enquiry(enquiry=first, actor=staff)
    send_enquiry(**kwargs)
    assert Enquiry.objects.count() == 2


def test_enquiry_sending_is_rate_limited_per_user(world, client_for):
    from partners.services.enquiries import SEND_LIMIT

    organisations = [published_organisation() for _ in range(SEND_LIMIT + 1)]
    teacher = client_for(world.teacher_a)
    for organisation in organisations[:SEND_LIMIT]:
        assert _post_enquiry(teacher, organisation, world.school_a).status_code == 302
    refused = _post_enquiry(teacher, organisations[-1], world.school_a)
    assert refused.status_code == 200
    assert "the most we allow" in refused.content.decode()
    assert Enquiry.objects.count() == SEND_LIMIT
    assert Enquiry.objects.filter(organisation=organisations[-1]).count() == 0


def test_enquiry_accept_button_hidden_until_partner_replies(partner_setup, world, client_for):
    organisation, staff, _, _ = partner_setup
    enquiry = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Hi",
        body="Hello",
    )
    teacher = client_for(world.teacher_a)
    url = reverse("partners:enquiry", args=[enquiry.pk])
    before = teacher.get(url).content.decode()
    assert "Accept: start a partnership" not in before
    assert "Once Canal Arts has replied" in before
    refused = teacher.post(reverse("partners:accept_enquiry", args=[enquiry.pk]), follow=True)
    assert "Canal Arts has not replied yet" in refused.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.OPEN
    reply(enquiry=enquiry, author=staff, body="Hello back")
    assert "Accept: start a partnership" in teacher.get(url).content.decode()


def test_enquiry_both_sides_write_after_acceptance(partner_setup, world, client_for):
    organisation, staff, _, _ = partner_setup
    enquiry = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Hi",
        body="Hello",
    )
    reply(enquiry=enquiry, author=staff, body="Hello back")
    accept_enquiry(enquiry=enquiry, actor=world.teacher_a)
    url = reverse("partners:enquiry", args=[enquiry.pk])
    client_for(world.teacher_a).post(url, {"body": "Which Tuesday suits you?"})
    client_for(staff).post(url, {"body": "The 4th of March."})
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ACCEPTED
    assert list(enquiry.messages.values_list("body", flat=True)) == [
        "Hello",
        "Hello back",
        "Which Tuesday suits you?",
        "The 4th of March.",
    ]
    page = html.unescape(client_for(staff).get(url).content.decode())
    assert "Send message" in page
    assert "Back to Canal Arts' enquiries" in page


def test_inbox_marks_unread_in_text_and_links_back(world, client_for):
    organisation = published_organisation(name="Thames Digital Makers")
    staff = PartnerMembershipFactory(organisation=organisation).user
    unread = send_enquiry(
        organisation=organisation,
        school=world.school_a,
        sender=world.teacher_a,
        subject="Unread one",
        body="Hello",
    )
    read = send_enquiry(
        organisation=organisation,
        school=world.school_b,
        sender=world.teacher_b,
        subject="Read one",
        body="Hello",
    )
    client = client_for(staff)
    client.get(reverse("partners:enquiry", args=[read.pk]))
    page = client.get(reverse("partners:inbox", args=[organisation.pk])).content.decode()
    rows = {row.split("</tr>")[0] for row in page.split("<tr")[2:]}
    unread_rows = [row for row in rows if "Unread" in row]
    assert len(unread_rows) == 1
    assert reverse("partners:enquiry", args=[unread.pk]) in unread_rows[0]
    assert reverse("partners:manage", args=[organisation.pk]) in page
    assert "Thames Digital Makers's" not in html.unescape(page)
    assert "Thames Digital Makers' listing" in html.unescape(page)


def test_possessive_of_names_ending_in_s():
    from partners.templatetags.partners_tags import possessive_of

    assert possessive_of("Thames Digital Makers") == "Thames Digital Makers'"
    assert possessive_of("Rosewood Primary School") == "Rosewood Primary School's"
