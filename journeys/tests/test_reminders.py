"""The daily reminders (services/deadlines.py: send_due_reminders): each sent once.

The outbox is read after every run: a reminder sent twice would be two emails in it.
"""

import datetime
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from artsmark.accounts.tests.factories import UserFactory
from artsmark.common.models import ActivityEntry
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from journeys import tasks
from journeys.enums import DeadlineKind, Stage
from journeys.models import Framework, Journey, ReminderSent
from journeys.services import deadlines
from journeys.tests.factories import JourneyFactory

TODAY = datetime.date(2026, 5, 4)


def _day(n, today=TODAY):
    return today + datetime.timedelta(days=n)


def _school(name, *, lead=True):
    school = SchoolFactory(name=name)
    if lead:
        user = UserFactory(email=f"lead.{school.urn}@example.test")
        SchoolMembershipFactory(user=user, school=school, role=SchoolMembership.Role.LEAD)
    return school


def _run(capture, today=TODAY):
    with capture(execute=True):
        return deadlines.send_due_reminders(today=today)


def _rows():
    return set(ReminderSent.objects.values_list("journey_id", "kind", "due_on", "days_before"))


def _a_day_of_reminders(world):
    """Four journeys with a reminder due today, and two without."""
    return {
        "commitment": JourneyFactory(
            school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(7)
        ),
        "impact": JourneyFactory(school=world.school_b, stage=Stage.CERTIFIED, impact_due=_day(30)),
        "renewal": JourneyFactory(
            school=_school("Oak Primary School"), stage=Stage.AWARDED, award_expires=_day(180)
        ),
        "overdue": JourneyFactory(
            school=_school("Ash Nursery School"), stage=Stage.REGISTERED, commitment_due=_day(-2)
        ),
        # Not yet: the first reminder is 30 days before.
        "later": JourneyFactory(
            school=_school("Birch Academy"), stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(45)
        ),
        # In review: the commitment's due date is no longer in force.
        "in_review": JourneyFactory(
            school=_school("Cedar School"), stage=Stage.COMMITMENT_SUBMITTED, commitment_due=_day(7)
        ),
    }


def _expected_rows(journeys):
    return {
        (journeys["commitment"].pk, "commitment", _day(7), 7),
        (journeys["impact"].pk, "impact", _day(30), 30),
        (journeys["renewal"].pk, "award_expiry", _day(180), 180),
        (journeys["overdue"].pk, "commitment", _day(-2), deadlines.OVERDUE_NOTICE),
    }


EXPECTED_SUBJECTS = [
    "[Artsmark] Ash Nursery School: your Statement of Commitment is overdue",
    "[Artsmark] Elm Tree Academy: your Statement of Impact is due in 30 days",
    "[Artsmark] Oak Primary School: renew your Artsmark award",
    "[Artsmark] Star Primary School: your Statement of Commitment is due in 7 days",
]


@pytest.mark.django_db
def test_send_due_reminders_run_twice_same_day_sends_each_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    journeys = _a_day_of_reminders(world)

    first = _run(django_capture_on_commit_callbacks)
    second = _run(django_capture_on_commit_callbacks)

    assert sorted(m.subject for m in mailoutbox) == EXPECTED_SUBJECTS
    assert _rows() == _expected_rows(journeys)
    assert (first["sent"], first["already_sent"]) == (4, 0)
    assert (second["sent"], second["already_sent"]) == (0, 4)
    by_subject = {m.subject: m for m in mailoutbox}
    star = by_subject[EXPECTED_SUBJECTS[3]]
    assert star.to == [world.teacher_a.email]
    assert "due in 7 days, on 11 May 2026" in star.body
    assert f"{settings.SITE_URL}/journeys/{journeys['commitment'].pk}/extension/" in star.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_send_due_reminders_two_workers_at_once_send_each_once(world):
    """Two runs on their own database connections, released at the same moment."""
    journeys = _a_day_of_reminders(world)
    mail.outbox = []
    barrier = threading.Barrier(2)
    summaries, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            summaries.append(deadlines.send_due_reminders(today=TODAY))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(m.subject for m in mail.outbox) == EXPECTED_SUBJECTS
    assert _rows() == _expected_rows(journeys)
    assert sum(s["sent"] for s in summaries) == 4
    assert sum(s["already_sent"] for s in summaries) == 4
    overdue = ActivityEntry.objects.filter(object_id=journeys["overdue"].pk, verb="overdue")
    assert overdue.count() == 1


@pytest.mark.django_db
def test_send_due_reminders_missed_days_send_only_latest(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    due = _day(5)
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=due
    )

    # The task did not run 30 or 7 days before: only the 7-day reminder goes now.
    _run(django_capture_on_commit_callbacks)
    assert [r[3] for r in _rows()] == [7]
    assert len(mailoutbox) == 1
    assert "due in 5 days" in mailoutbox[0].subject

    for today in (due - datetime.timedelta(days=1), due, due + datetime.timedelta(days=1)):
        _run(django_capture_on_commit_callbacks, today=today)
        _run(django_capture_on_commit_callbacks, today=today)
    _run(django_capture_on_commit_callbacks, today=due + datetime.timedelta(days=9))

    assert sorted(r[3] for r in _rows()) == [deadlines.OVERDUE_NOTICE, 1, 7]
    assert [m.subject for m in mailoutbox] == [
        "[Artsmark] Star Primary School: your Statement of Commitment is due in 5 days",
        "[Artsmark] Star Primary School: your Statement of Commitment is due tomorrow",
        "[Artsmark] Star Primary School: your Statement of Commitment is overdue",
    ]
    assert ReminderSent.objects.filter(journey=journey).count() == 3


@pytest.mark.django_db
def test_send_due_reminders_overdue_notice_once_on_timeline(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="colleague.a@example.test")
    SchoolMembershipFactory(user=colleague, school=world.school_a)
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.IMPACT_RETURNED, impact_due=_day(-1)
    )

    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks, today=_day(1))

    (email,) = mailoutbox
    assert email.subject == "[Artsmark] Star Primary School: your Statement of Impact is overdue"
    assert email.to == [world.teacher_a.email]  # the lead, not every member
    assert "was due on 3 May 2026" in email.body
    entries = ActivityEntry.objects.filter(object_id=journey.pk)
    assert list(entries.values_list("verb", "note")) == [
        ("overdue", "The Statement of Impact was due on 3 May 2026.")
    ]


@pytest.mark.django_db
def test_send_due_reminders_school_without_lead_goes_to_members(
    mailoutbox, django_capture_on_commit_callbacks
):
    school = _school("Willow Primary School", lead=False)
    member = SchoolMembershipFactory(school=school).user
    JourneyFactory(school=school, stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(1))
    _run(django_capture_on_commit_callbacks)
    (email,) = mailoutbox
    assert email.to == [member.email]
    assert "due tomorrow" in email.subject


@pytest.mark.django_db
def test_send_due_reminders_award_expired_notice_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    recent = JourneyFactory(
        school=_school("Oak Primary School"), stage=Stage.AWARDED, award_expires=_day(-3)
    )
    # Expired long ago (before reminders were sent): left alone.
    JourneyFactory(
        school=_school("Yew Academy"),
        stage=Stage.AWARDED,
        award_expires=_day(-deadlines.EXPIRED_NOTICE_WITHIN_DAYS - 1),
    )

    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks, today=_day(1))

    (email,) = mailoutbox
    assert email.subject == "[Artsmark] Oak Primary School: your Artsmark award has expired"
    assert deadlines.renewal_url(recent) in email.body
    assert list(ActivityEntry.objects.values_list("object_id", "verb")) == [
        (recent.pk, "award_expired")
    ]


@pytest.mark.django_db
def test_send_due_reminders_renewal_invitation_then_expiry_reminders(
    mailoutbox, django_capture_on_commit_callbacks
):
    journey = JourneyFactory(
        school=_school("Oak Primary School"), stage=Stage.AWARDED, award_expires=_day(200)
    )
    for days_before in (200, 180, 100, 30, 7):
        _run(django_capture_on_commit_callbacks, today=_day(200 - days_before))

    assert sorted(r[3] for r in _rows()) == [7, 30, 180]
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [
        "[Artsmark] Oak Primary School: renew your Artsmark award",
        "[Artsmark] Oak Primary School: your Artsmark award expires in 30 days",
        "[Artsmark] Oak Primary School: your Artsmark award expires in 7 days",
    ]
    # The renewal page, or the journey page while there is none yet.
    assert f"{settings.SITE_URL}{deadlines.renewal_url(journey)}" in mailoutbox[0].body


@pytest.mark.django_db
def test_send_due_reminders_no_renewal_invitation_once_school_moved_on(
    mailoutbox, django_capture_on_commit_callbacks
):
    school = _school("Oak Primary School")
    JourneyFactory(school=school, stage=Stage.AWARDED, award_expires=_day(180))
    JourneyFactory(school=school, stage=Stage.REGISTERED)  # renewed or registered again
    _run(django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert _rows() == set()


@pytest.mark.django_db
def test_send_due_reminders_uses_framework_reminder_days(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    Framework.objects.filter(is_current=True).update(reminder_days=[14])
    JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(10))
    JourneyFactory(school=world.school_b, stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(20))
    _run(django_capture_on_commit_callbacks)
    assert [r[3] for r in _rows()] == [14]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_send_due_reminders_extension_granted_starts_reminders_again(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=_day(7, today)
    )
    _run(django_capture_on_commit_callbacks, today=today)
    extension = deadlines.request_extension(
        journey=journey,
        kind=DeadlineKind.COMMITMENT,
        requested_due_on=_day(40, today),
        reason="Our governors meet late this term.",
        actor=world.teacher_a,
    )
    deadlines.decide_extension(extension=extension, actor=world.reviewer_a, grant=True)
    mailoutbox.clear()

    _run(django_capture_on_commit_callbacks, today=today)
    assert mailoutbox == []  # 40 days away: no reminder window is open
    _run(django_capture_on_commit_callbacks, today=_day(10, today))

    (email,) = mailoutbox
    assert "due in 30 days" in email.subject
    assert _rows() == {
        (journey.pk, "commitment", _day(7, today), 7),
        (journey.pk, "commitment", _day(40, today), 30),
    }


@pytest.mark.django_db
def test_send_due_reminders_query_count_same_for_1_and_5_journeys(
    world, django_capture_on_commit_callbacks
):
    counts = []
    for number in (1, 5):
        Journey.objects.all().delete()
        for _ in range(number):
            JourneyFactory(
                school=_school("Hazel School"),
                stage=Stage.COMMITMENT_DRAFT,
                commitment_due=_day(7),
            )
        with CaptureQueriesContext(connection) as queries:
            summary = _run(django_capture_on_commit_callbacks)
        assert summary["sent"] == number
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_task_runs_the_daily_reminders(world, mailoutbox, django_capture_on_commit_callbacks):
    JourneyFactory(
        school=world.school_a,
        stage=Stage.COMMITMENT_DRAFT,
        commitment_due=timezone.localdate() + datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary = tasks.send_due_reminders()
    assert summary["sent"] == 1
    assert len(mailoutbox) == 1


def test_beat_runs_the_reminders_daily():
    from artsmark.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] == tasks.send_due_reminders.name == "journeys.send_due_reminders"
    app.loader.import_default_modules()
    assert "journeys.send_due_reminders" in app.tasks
    schedule = entry["schedule"]
    assert schedule.minute == {0}
    assert len(schedule.hour) == 1
