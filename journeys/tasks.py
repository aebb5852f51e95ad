"""Celery tasks of journeys: thin and named; the services do the work.

`journeys.send_due_reminders` runs daily from beat (settings.CELERY_BEAT_SCHEDULE,
`REMINDERS_HOUR`). Running it again, or on two workers at once, sends nothing twice.
"""

from celery import shared_task

from journeys.services import deadlines


@shared_task(name="journeys.send_due_reminders")
def send_due_reminders():
    return deadlines.send_due_reminders()
