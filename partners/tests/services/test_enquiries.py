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
