"""The daily reminder task run by real Celery worker processes (two of them, the task sent
twice) against the test database: each reminder recorded and emailed once.

The workers print their emails (the console backend) into their logs, which stand in for the
outbox this process cannot read. Transactional: the workers must see the rows.
"""

import datetime
import time

import pytest
from django.utils import timezone

from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from journeys.enums import Stage
from journeys.models import ReminderSent
from journeys.tasks import send_due_reminders
from journeys.tests.factories import JourneyFactory
from journeys.tests.report_worker import ThrowawayRedis, WorkerProcess, portal_broker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SUBJECT = "Subject: [Artsmark]"


def _wait_for_tasks(workers, count, timeout=90):
    """Wait until the workers have logged `count` finished runs of the task in all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = "".join(worker.log() for worker in workers)
        if logs.count("succeeded in") >= count or "raised unexpected" in logs:
            return
        time.sleep(0.2)


def test_reminder_task_on_two_workers_sends_each_once(world, tmp_path):
    today = timezone.localdate()
    due = today + datetime.timedelta(days=7)
    school = SchoolFactory(name="Oak Primary School")
    SchoolMembershipFactory(school=school, role=SchoolMembership.Role.LEAD)
    journeys = [
        JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=due),
        JourneyFactory(school=world.school_b, stage=Stage.CERTIFIED, impact_due=due),
        JourneyFactory(
            school=school,
            stage=Stage.REGISTERED,
            commitment_due=today - datetime.timedelta(days=1),
        ),
    ]
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    environment = {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "LOG_LEVEL": "INFO",
    }
    workers = [
        WorkerProcess(
            media_root=tmp_path / "media",
            redis_url=redis.url,
            log_path=tmp_path / f"worker-{index}.log",
            env=environment,
        )
        for index in range(2)
    ]
    try:
        with portal_broker(redis.url):
            send_due_reminders.delay()
            send_due_reminders.delay()
        _wait_for_tasks(workers, 2)
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()

    rows = set(ReminderSent.objects.values_list("journey_id", "kind", "due_on", "days_before"))
    assert rows == {
        (journeys[0].pk, "commitment", due, 7),
        (journeys[1].pk, "impact", due, 7),
        (journeys[2].pk, "commitment", today - datetime.timedelta(days=1), 0),
    }
    logs = "".join(worker.log() for worker in workers)
    assert logs.count("journeys.send_due_reminders[") >= 2, logs  # both runs were received
    assert logs.count("succeeded in") == 2, logs
    assert logs.count(SUBJECT) == 3, logs
