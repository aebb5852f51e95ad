"""Every delivery URL x the standard cast (tests/matrix.py).

School A has a certified journey with a goal, an activity, an uploaded PNG and an Arts Award
in its evidence locker, and a checkpoint. Members of school A read and write; A's reviewer
reads (views and downloads evidence) and gets 403 on every change; a teacher of school B, a
reviewer of another Bridge Organisation and a partner get 404 on every URL.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import LOGIN, Case, statuses

DELIVERY_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200)
DELIVERY_WRITE = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)


def png_bytes(size=(2, 2), colour=(200, 30, 90)):
    """A tiny valid PNG, made by Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="class-photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes(), content_type=content_type)


def certified_journey(*, school, lead):
    """A certified journey with a baseline self-assessment, a goal, an activity, evidence
    (an uploaded PNG and an Arts Award) and one checkpoint, built through the services."""
    import datetime

    from django.utils import timezone

    from journeys.enums import Stage
    from journeys.models import CommitmentVersion
    from journeys.services import checkpoints, delivery, evidence
    from journeys.tests.factories import GoalFactory, JourneyFactory

    journey = JourneyFactory(school=school, stage=Stage.CERTIFIED)
    goal = GoalFactory(journey=journey, title="Every pupil performs to an audience")
    principles = list(journey.framework.quality_principles.all())
    CommitmentVersion.objects.create(
        journey=journey,
        number=1,
        content={
            "sections": [],
            "goals": [],
            "principle_ratings": [
                {
                    "principle": p.slug,
                    "title": p.title,
                    "level": "development",
                    "level_label": "Area for development",
                    "evidence": "",
                }
                for p in principles
            ],
        },
    )
    delivery.log_activity(
        journey=journey,
        actor=lead,
        happened_on=timezone.localdate() - datetime.timedelta(days=3),
        title="Dance workshop for Year 5",
        pupils_involved=28,
        partners="Rambert",
        goals=[goal],
    )
    evidence.add_evidence_file(
        journey=journey,
        actor=lead,
        upload=png_upload(),
        title="Workshop photo",
        description="",
        goals=[goal],
        strands=["cyp-engagement"],
        quality_principles=["involving"],
    )
    evidence.add_arts_award(journey=journey, actor=lead, level="bronze", pupils=12)
    checkpoints.take_checkpoint(
        journey=journey,
        actor=lead,
        label="End of autumn term",
        ratings={p.slug: ("secure", "Pupils lead the arts council.") for p in principles},
    )
    return journey


def _journey(world):
    return world.once(
        "delivery_journey_a",
        lambda w: certified_journey(school=w.school_a, lead=w.teacher_a),
    )


def _pk(world):
    return {"pk": _journey(world).pk}


def _activity(world):
    journey = _journey(world)
    return {"pk": journey.pk, "activity_pk": journey.activities.get().pk}


def _file_item(world):
    journey = _journey(world)
    return {"pk": journey.pk, "item_pk": journey.evidence.get(kind="file").pk}


CASES = {
    "journeys:delivery": Case(expect=DELIVERY_READ, kwargs=_pk),
    "journeys:activities": Case(expect=DELIVERY_READ, kwargs=_pk),
    "journeys:activity_add": Case(expect=DELIVERY_WRITE, kwargs=_pk),
    "journeys:activity_edit": Case(expect=DELIVERY_WRITE, kwargs=_activity),
    "journeys:activity_delete": Case(expect=DELIVERY_WRITE, kwargs=_activity),
    "journeys:evidence": Case(expect=DELIVERY_READ, kwargs=_pk),
    "journeys:evidence_add": Case(expect=DELIVERY_WRITE, kwargs=_pk),
    "journeys:evidence_arts_award": Case(expect=DELIVERY_WRITE, kwargs=_pk),
    "journeys:evidence_edit": Case(expect=DELIVERY_WRITE, kwargs=_file_item),
    "journeys:evidence_delete": Case(expect=DELIVERY_WRITE, kwargs=_file_item),
    # A file is not a page: asked for without a session it is a 404, not a login redirect.
    "journeys:evidence_file": Case(expect={**DELIVERY_READ, "anonymous": 404}, kwargs=_file_item),
    "journeys:checkpoints": Case(expect=DELIVERY_READ, kwargs=_pk),
    "journeys:checkpoint_add": Case(expect=DELIVERY_WRITE, kwargs=_pk),
}
