"""Open a review for each Statement of Commitment already waiting when reviews arrived."""

import datetime

from django.db import migrations


def _add_working_days(day, days):
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def open_reviews(apps, schema_editor):
    Journey = apps.get_model("journeys", "Journey")
    Review = apps.get_model("journeys", "Review")
    CommitmentVersion = apps.get_model("journeys", "CommitmentVersion")
    waiting = Journey.objects.filter(stage="commitment_submitted", reviews__isnull=True)
    for journey in waiting.select_related("framework"):
        latest = CommitmentVersion.objects.filter(journey=journey).order_by("-number").first()
        if latest is None:
            continue
        submitted = latest.submitted_at
        Review.objects.create(
            journey=journey,
            kind="commitment",
            version_number=latest.number,
            submitted_at=submitted,
            due_on=_add_working_days(submitted.date(), journey.framework.review_working_days),
        )


class Migration(migrations.Migration):
    dependencies = [("journeys", "0003_review_delivery_impact")]

    operations = [migrations.RunPython(open_reviews, migrations.RunPython.noop)]
