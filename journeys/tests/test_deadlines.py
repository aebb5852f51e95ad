"""Due dates in force, and the deadline pages: the journey page's panel, asking for more time,
a Bridge Organisation's requests and overdue journeys, deciding."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.tests.factories import SchoolFactory, local_authority
from journeys.enums import DeadlineKind, ExtensionStatus, Stage
from journeys.models import ExtensionRequest, Framework, Journey
from journeys.services import deadlines
from journeys.services.deadlines import Deadline, current_deadline, reminder_to_send
from journeys.templatetags.journey_tags import long_date
from journeys.tests.factories import JourneyFactory

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _text(response):
    return " ".join(response.content.decode().split())


# --- Which due date is in force ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "kind"),
    [
        (Stage.REGISTERED, DeadlineKind.COMMITMENT),
        (Stage.COMMITMENT_DRAFT, DeadlineKind.COMMITMENT),
        (Stage.COMMITMENT_RETURNED, DeadlineKind.COMMITMENT),
        (Stage.COMMITMENT_SUBMITTED, None),
        (Stage.CERTIFIED, DeadlineKind.IMPACT),
        (Stage.IMPACT_DRAFT, DeadlineKind.IMPACT),
        (Stage.IMPACT_RETURNED, DeadlineKind.IMPACT),
        (Stage.IMPACT_SUBMITTED, None),
        (Stage.AWARDED, DeadlineKind.AWARD_EXPIRY),
        (Stage.NOT_AWARDED, None),
        (Stage.WITHDRAWN, None),
    ],
)
def test_current_deadline_by_stage(stage, kind):
    journey = Journey(
        stage=stage, commitment_due=_days(1), impact_due=_days(2), award_expires=_days(3)
    )
    deadline = current_deadline(journey)
    assert (deadline.kind if deadline else None) == kind


def test_current_deadline_none_when_date_not_set():
    assert current_deadline(Journey(stage=Stage.CERTIFIED, impact_due=None)) is None


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(45, None), (31, None), (30, 30), (12, 30), (7, 7), (2, 7), (1, 1), (0, 1), (-1, 0)],
)
def test_reminder_to_send_latest_window_open(days_left, expected):
    framework = Framework(reminder_days=[1, 30, 7], renewal_invitation_days=180)
    today = datetime.date(2026, 1, 10)
    deadline = Deadline(DeadlineKind.COMMITMENT, today + datetime.timedelta(days=days_left))
    assert reminder_to_send(deadline, framework, today) == expected


def test_reminder_to_send_award_adds_renewal_invitation():
    framework = Framework(reminder_days=[30, 7, 1], renewal_invitation_days=180)
    today = datetime.date(2026, 1, 10)
    expiry = Deadline(DeadlineKind.AWARD_EXPIRY, today + datetime.timedelta(days=150))
    commitment = Deadline(DeadlineKind.COMMITMENT, today + datetime.timedelta(days=150))
    assert reminder_to_send(expiry, framework, today) == 180
    assert reminder_to_send(commitment, framework, today) is None


def test_impact_due_set_on_certification_from_framework(world):
    """The Statement of Impact's due date comes from the framework (services/stages.py)."""
    from journeys.tests.impact_fixtures import certified_journey

    journey = certified_journey(school=world.school_a, lead=world.teacher_a, reviewer=world.admin)
    deadline = current_deadline(journey)
    assert deadline.kind == DeadlineKind.IMPACT
    months = journey.framework.delivery_months
    assert deadline.due_on.year * 12 + deadline.due_on.month == (
        journey.certified_on.year * 12 + journey.certified_on.month + months
    )


# --- The journey page -------------------------------------------------------------------------


def _journey_a(world, due_in=-3):
    return JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=_days(due_in)
    )


def _request(journey, user, days=40):
    return ExtensionRequest.objects.create(
        journey=journey,
        kind=DeadlineKind.COMMITMENT,
        reason="Our headteacher is on leave.",
        current_due_on=journey.commitment_due,
        requested_due_on=_days(days),
        requested_by=user,
    )


def test_journey_page_overdue_due_date_tagged_with_link_to_ask(world, client_for):
    journey = _journey_a(world)
    response = client_for(world.teacher_a).get(reverse("journeys:detail", args=[journey.pk]))
    text = _text(response)
    assert "Statement of Commitment due" in text
    assert 'Overdue</span> <span class="small">by 3 days' in text
    assert reverse("journeys:extension_request", args=[journey.pk]) in text


def test_journey_page_reviewer_sees_pending_request_and_decide_link(world, client_for):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    response = client_for(world.reviewer_a).get(reverse("journeys:detail", args=[journey.pk]))
    text = _text(response)
    assert "Overdue" not in text
    assert "Waiting for a decision" in text
    assert reverse("journeys:extension_decide", args=[extension.pk]) in text
    assert reverse("journeys:extension_request", args=[journey.pk]) not in text


def test_journey_page_shows_decision_of_latest_request(world, client_for):
    journey = _journey_a(world, due_in=10)
    deadlines.decide_extension(
        extension=_request(journey, world.teacher_a),
        actor=world.reviewer_a,
        grant=False,
        note="Please keep to the date.",
    )
    response = client_for(world.teacher_a).get(reverse("journeys:detail", args=[journey.pk]))
    text = _text(response)
    assert "Refused" in text
    assert "Please keep to the date." in text
    assert reverse("journeys:extension_request", args=[journey.pk]) in text  # may ask again


def test_journey_page_query_count_same_with_1_and_5_extension_requests(world, client_for):
    client = client_for(world.teacher_a)
    counts = []
    for number in (1, 5):
        Journey.objects.all().delete()
        journey = _journey_a(world, due_in=10)
        for index in range(number):
            extension = _request(journey, world.teacher_a, days=20 + index)
            if index < number - 1:
                extension.status = ExtensionStatus.REFUSED
                extension.save()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("journeys:detail", args=[journey.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Asking for more time ---------------------------------------------------------------------


def test_extension_request_page_shows_current_due_date(world, client_for):
    journey = _journey_a(world, due_in=10)
    response = client_for(world.teacher_a).get(
        reverse("journeys:extension_request", args=[journey.pk])
    )
    assert response.status_code == 200
    text = _text(response)
    assert long_date(_days(10)) in text
    assert 'name="requested_due_on"' in text
    assert 'name="reason"' in text


def test_extension_request_post_creates_request(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    journey = _journey_a(world, due_in=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.teacher_a).post(
            reverse("journeys:extension_request", args=[journey.pk]),
            {"requested_due_on": _days(30).isoformat(), "reason": "Staff changes this term."},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", args=[journey.pk])
    extension = ExtensionRequest.objects.get()
    assert (extension.requested_due_on, extension.requested_by) == (_days(30), world.teacher_a)
    assert [m.to for m in mailoutbox] == [[world.reviewer_a.email]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"requested_due_on": "today", "reason": "x"}, "must be after the current due date"),
        ({"requested_due_on": "", "reason": "Staff changes."}, "Enter the new due date"),
        ({"requested_due_on": "2026-02-30", "reason": "Staff changes."}, "a real date"),
        ({"requested_due_on": "2026-13-45", "reason": "Staff changes."}, "a real date"),
        ({"requested_due_on": "99999-01-01", "reason": "Staff changes."}, "a real date"),
        ({"requested_due_on": "9999-12-31", "reason": "Staff changes."}, "by a year at most"),
        ({"requested_due_on": "later", "reason": "x" * 5001}, "at most 5000 characters"),
        ({"requested_due_on": "later", "reason": ""}, "Say why you need more time."),
    ],
)
def test_extension_request_bad_input_clear_message_nothing_changed(
    world, client_for, data, message
):
    journey = _journey_a(world, due_in=10)
    if data["requested_due_on"] == "today":
        data = {**data, "requested_due_on": _days(10).isoformat()}
    if data["requested_due_on"] == "later":
        data = {**data, "requested_due_on": _days(30).isoformat()}
    response = client_for(world.teacher_a).post(
        reverse("journeys:extension_request", args=[journey.pk]), data
    )
    assert response.status_code == 400
    text = _text(response)
    assert "There is a problem" in text
    assert message in text
    assert ExtensionRequest.objects.count() == 0
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(10)


def test_extension_request_second_while_one_waits_clear_message(world, client_for):
    journey = _journey_a(world, due_in=10)
    _request(journey, world.teacher_a)
    client = client_for(world.teacher_a)
    url = reverse("journeys:extension_request", args=[journey.pk])
    assert "is waiting for a decision" in _text(client.get(url))
    response = client.post(url, {"requested_due_on": _days(50).isoformat(), "reason": "More."})
    assert response.status_code == 400
    assert "already waiting for a decision" in _text(response)
    assert ExtensionRequest.objects.count() == 1


def test_extension_request_page_in_review_says_nothing_to_extend(world, client_for):
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED, commitment_due=_days(10)
    )
    response = client_for(world.teacher_a).get(
        reverse("journeys:extension_request", args=[journey.pk])
    )
    assert response.status_code == 200
    assert "no due date to extend at this stage" in _text(response)
    assert 'name="reason"' not in response.content.decode()


# --- A Bridge Organisation's page -------------------------------------------------------------


def _bridge_url(world):
    organisation = world.reviewer_a.bridge_memberships.get().organisation_id
    return reverse("journeys:bridge_deadlines", args=[organisation])


def _london_school(name):
    return SchoolFactory(name=name, local_authority=local_authority("316"))


def test_bridge_deadlines_lists_requests_and_overdue_journeys(world, client_for):
    overdue = _journey_a(world, due_in=-12)
    asking = JourneyFactory(
        school=_london_school("Poplar Primary School"),
        stage=Stage.IMPACT_DRAFT,
        impact_due=_days(5),
    )
    extension = ExtensionRequest.objects.create(
        journey=asking,
        kind=DeadlineKind.IMPACT,
        reason="Our festival moved.",
        current_due_on=_days(5),
        requested_due_on=_days(65),
    )
    # Another region's overdue journey is not listed.
    JourneyFactory(school=world.school_b, stage=Stage.REGISTERED, commitment_due=_days(-30))

    response = client_for(world.reviewer_a).get(_bridge_url(world))
    assert response.status_code == 200
    text = _text(response)
    assert "1 request for more time waiting" in text
    assert reverse("journeys:extension_decide", args=[extension.pk]) in text
    assert "60 more days" in text
    assert "1 overdue journey" in text
    assert "Star Primary School" in text
    assert "12 days" in text
    assert reverse("journeys:detail", args=[overdue.pk]) in text
    assert "Elm Tree Academy" not in text


def test_bridge_deadlines_query_count_same_for_1_and_5(world, client_for):
    """Each list grows: requests waiting, overdue journeys, and recently decided requests."""
    client = client_for(world.reviewer_a)
    counts = []
    for number in (1, 5):
        Journey.objects.all().delete()
        for index in range(number):
            JourneyFactory(
                school=_london_school(f"Overdue School {index}"),
                stage=Stage.CERTIFIED,
                impact_due=_days(-1 - index),
            )
            asking = JourneyFactory(
                school=_london_school(f"Asking School {index}"),
                stage=Stage.COMMITMENT_DRAFT,
                commitment_due=_days(3),
            )
            _request(asking, world.teacher_a)
            decided = JourneyFactory(
                school=_london_school(f"Decided School {index}"),
                stage=Stage.COMMITMENT_DRAFT,
                commitment_due=_days(3),
            )
            deadlines.decide_extension(
                extension=_request(decided, world.teacher_a),
                actor=world.reviewer_a,
                grant=index % 2 == 0,
                note="Decided.",
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_bridge_url(world))
        assert response.status_code == 200
        text = _text(response)
        assert f"{number} overdue journey" in text
        assert f"{number} request{'s' if number > 1 else ''} for more time waiting" in text
        assert text.count("Decided School") == number
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "params",
    [
        {"requests_page": "x", "overdue_page": "99999999999999999999"},
        {"requests_page": "-1", "overdue_page": "0"},
        {"requests_page": "1e5", "overdue_page": "nan"},
        {"requests_page": "", "overdue_page": "\uff12"},  # a full-width 2
    ],
)
def test_bridge_deadlines_junk_page_numbers_show_a_page(world, client_for, params):
    _journey_a(world, due_in=-12)
    response = client_for(world.reviewer_a).get(_bridge_url(world), params)
    assert response.status_code == 200
    assert "1 overdue journey" in _text(response)


def test_bridge_deadlines_next_page_of_one_list_keeps_the_others_page(world, client_for):
    from journeys.deadline_selectors import PAGE_SIZE

    for index in range(PAGE_SIZE + 1):
        asking = JourneyFactory(
            school=_london_school(f"Asking School {index:02}"),
            stage=Stage.COMMITMENT_DRAFT,
            commitment_due=_days(3),
        )
        _request(asking, world.teacher_a)
    response = client_for(world.reviewer_a).get(
        _bridge_url(world), {"overdue_page": "1", "requests_page": "2"}
    )
    assert response.status_code == 200
    text = _text(response)
    assert f"{PAGE_SIZE + 1} requests for more time waiting" in text
    assert "(page 2 of 2)" in text
    assert text.count("decide on the request") == 1  # the oldest first: the last one is alone
    assert f"Asking School {PAGE_SIZE:02}" in text
    assert 'href="?overdue_page=1&amp;requests_page=1"' in text
    assert "Pages of requests for more time" in text
    assert "Pages of overdue journeys" not in text  # one page of those: no links


def test_bridge_deadlines_request_on_a_due_date_no_longer_in_force_not_counted(world, client_for):
    """A request waiting on the commitment's date says nothing about an overdue impact."""
    journey = JourneyFactory(
        school=world.school_a,
        stage=Stage.CERTIFIED,
        commitment_due=_days(-100),
        impact_due=_days(-2),
    )
    stale = ExtensionRequest.objects.create(
        journey=journey,
        kind=DeadlineKind.COMMITMENT,
        reason="Asked before our statement was certified.",
        current_due_on=_days(-100),
        requested_due_on=_days(-80),
    )
    client = client_for(world.reviewer_a)
    text = _text(client.get(_bridge_url(world)))
    assert "1 overdue journey" in text
    assert "Has asked for more time" not in text
    assert "No longer in force" in text  # the stale request is listed, to be refused

    ExtensionRequest.objects.create(
        journey=journey,
        kind=DeadlineKind.IMPACT,
        reason="Our festival moved.",
        current_due_on=_days(-2),
        requested_due_on=_days(30),
    )
    assert "Has asked for more time" in _text(client.get(_bridge_url(world)))
    assert stale.status == ExtensionStatus.PENDING


# --- Deciding ---------------------------------------------------------------------------------


def test_extension_decide_grant_redirects_to_bridge_page(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    client = client_for(world.reviewer_a)
    url = reverse("journeys:extension_decide", args=[extension.pk])
    assert "Record the decision" in _text(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "grant", "new_due_on": _days(35).isoformat()})
    assert response.status_code == 302
    assert response["Location"] == _bridge_url(world)
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(35)
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]

    again = client.post(url, {"decision": "refuse", "note": "No after all."})
    assert again.status_code == 409
    text = _text(again)
    assert "already granted this request" in text
    assert "Decided: Granted" in text
    assert ExtensionRequest.objects.get().status == ExtensionStatus.GRANTED
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(35)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "grant", "new_due_on": "earlier"}, "must be after the current due date"),
        ({"decision": "grant", "new_due_on": "2026-13-45"}, "a real date"),
        ({"decision": "grant", "new_due_on": "99999-01-01"}, "a real date"),
        ({"decision": "grant", "new_due_on": "9999-12-31"}, "by a year at most"),
        ({"decision": "refuse", "note": "x" * 5001}, "at most 5000 characters"),
        ({"decision": "postpone", "note": "x"}, "Select a valid choice"),
        ({"decision": "refuse", "note": ""}, "Say why the request is refused"),
        ({"decision": "", "note": "x"}, "Choose whether to grant or refuse"),
    ],
)
def test_extension_decide_bad_input_clear_message_nothing_changed(world, client_for, data, message):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    if data.get("new_due_on") == "earlier":
        data = {**data, "new_due_on": _days(8).isoformat()}
    response = client_for(world.reviewer_a).post(
        reverse("journeys:extension_decide", args=[extension.pk]), data
    )
    assert response.status_code == 400
    assert message in _text(response)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(10)


def test_extension_decide_refuse_redirects_and_tells_school(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    client = client_for(world.reviewer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("journeys:extension_decide", args=[extension.pk]),
            {"decision": "refuse", "new_due_on": _days(60).isoformat(), "note": "Keep to it."},
        )
    assert response.status_code == 302
    assert response["Location"] == _bridge_url(world)
    extension.refresh_from_db()
    assert (extension.status, extension.granted_due_on) == (ExtensionStatus.REFUSED, None)
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(10)
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    assert "Keep to it." in mailoutbox[0].body
    page = _text(client.get(response["Location"]))
    assert "Star Primary School&#x27;s request for more time was refused" in page


def test_extension_decide_by_staff_outside_bridge_returns_to_journey(world, client_for):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    client = client_for(world.admin)
    url = reverse("journeys:extension_decide", args=[extension.pk])
    # Not a Bridge Organisation's member: no deadlines page to go back to.
    assert "/deadlines/" not in _text(client.get(url))
    response = client.post(url, {"decision": "grant"})
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", args=[journey.pk])
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(40)


def test_extension_decide_page_request_no_longer_in_force_grant_refused(world, client_for):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    Journey.objects.filter(pk=journey.pk).update(stage=Stage.COMMITMENT_SUBMITTED)
    client = client_for(world.reviewer_a)
    url = reverse("journeys:extension_decide", args=[extension.pk])
    assert "No longer in force" in _text(client.get(url))
    response = client.post(url, {"decision": "grant"})
    assert response.status_code == 400
    assert "Refuse the request with a note" in _text(response)
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING


def test_extension_request_post_when_nothing_in_force_clear_message(world, client_for):
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.IMPACT_SUBMITTED, impact_due=_days(10)
    )
    response = client_for(world.teacher_a).post(
        reverse("journeys:extension_request", args=[journey.pk]),
        {"requested_due_on": _days(30).isoformat(), "reason": "Please."},
    )
    assert response.status_code == 400
    assert "no due date to extend at this stage" in _text(response)
    assert ExtensionRequest.objects.count() == 0


def test_admin_lists_reminders_and_extension_requests_read_only(world, client_for):
    journey = _journey_a(world, due_in=10)
    extension = _request(journey, world.teacher_a)
    deadlines.send_due_reminders(today=journey.commitment_due - datetime.timedelta(days=7))
    client = client_for(world.admin)
    reminders = client.get(reverse("admin:journeys_remindersent_changelist"))
    assert reminders.status_code == 200
    assert "Star Primary School" in _text(reminders)
    requests = client.get(reverse("admin:journeys_extensionrequest_changelist"))
    assert requests.status_code == 200
    assert reverse("journeys:extension_decide", args=[extension.pk]) in _text(requests)
    assert "Decide in the portal" in _text(requests)
    change = client.get(reverse("admin:journeys_extensionrequest_change", args=[extension.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()  # decided in the portal only
