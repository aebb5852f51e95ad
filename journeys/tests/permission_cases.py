"""Every journeys URL x the standard cast (tests/matrix.py).

School A has a journey in `commitment_draft` with one goal and one submitted version; a
teacher of school B (another school, another region) gets 404 on every journey URL.
"""

from tests.matrix import LOGIN, Case, statuses

# Members of school A may read and write; A's reviewer may read; everyone else: 404.
JOURNEY_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200)
JOURNEY_WRITE = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)
# POST-only actions redirect back when they are allowed.
JOURNEY_WRITE_POST = statuses(404, anonymous=LOGIN, teacher_a=302, reviewer_a=403, admin=302)


def _journey_a(world):
    def build(w):
        from journeys.models import CommitmentVersion
        from journeys.tests.factories import GoalFactory, JourneyFactory

        journey = JourneyFactory(school=w.school_a)
        GoalFactory(journey=journey)
        CommitmentVersion.objects.create(
            journey=journey, number=1, content={"sections": [], "goals": []}
        )
        return journey

    return world.once("journey_a", build)


def _journey(world):
    return {"pk": _journey_a(world).pk}


def _section(world):
    journey = _journey_a(world)
    return {"pk": journey.pk, "section_pk": journey.framework.sections.first().pk}


def _goal(world):
    journey = _journey_a(world)
    return {"pk": journey.pk, "goal_pk": journey.goals.first().pk}


CASES = {
    # Only the lead registers; school A has an open journey, so its lead is redirected to it.
    "journeys:register": Case(
        expect=statuses(404, anonymous=LOGIN, teacher_a=302, reviewer_a=403, admin=302),
        kwargs=lambda w: {"school_pk": (_journey_a(w), w.school_a.pk)[1]},
    ),
    "journeys:detail": Case(expect=JOURNEY_READ, kwargs=_journey),
    "journeys:commitment": Case(expect=JOURNEY_READ, kwargs=_journey),
    "journeys:version": Case(expect=JOURNEY_READ, kwargs=lambda w: {**_journey(w), "number": 1}),
    "journeys:section": Case(expect=JOURNEY_WRITE, kwargs=_section),
    "journeys:goals": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:goal_add": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:goal_edit": Case(expect=JOURNEY_WRITE, kwargs=_goal),
    "journeys:goal_delete": Case(expect=JOURNEY_WRITE, kwargs=_goal),
    "journeys:goal_move": Case(
        expect=JOURNEY_WRITE_POST,
        kwargs=_goal,
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    "journeys:self_assessment": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:sign_off": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:check": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:area_submissions": Case(
        expect=statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200),
        kwargs=lambda w: {"organisation_pk": w.reviewer_a.bridge_memberships.get().organisation_id},
    ),
}
