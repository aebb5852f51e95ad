"""Every Statement of Impact and assessment URL x the standard cast (tests/matrix.py).

School A's journey is certified (built through the services) for the school's pages, and
has a submitted Statement of Impact (an undecided review) for the version and assessment
pages. Reviewers of another Bridge Organisation, teachers of another school and partners get
404 on every URL; A's reviewer reads the school's pages but may not write (403); the school
may not open an undecided assessment (403).
"""

from tests.matrix import LOGIN, Case, statuses

JOURNEY_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200)
JOURNEY_WRITE = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)
JOURNEY_READ_POST = statuses(404, anonymous=LOGIN, teacher_a=302, reviewer_a=302, admin=302)
REVIEW_DECIDE = statuses(404, anonymous=LOGIN, teacher_a=403, reviewer_a=200, admin=200)


def _certified(world):
    def build(w):
        from journeys.tests.impact_fixtures import certified_journey

        return certified_journey(school=w.school_a, lead=w.teacher_a, reviewer=w.reviewer_a)

    return world.once("impact_certified_a", build)


def _submitted(world):
    def build(w):
        from journeys.tests.impact_fixtures import submitted_journey

        return submitted_journey(school=w.school_a, lead=w.teacher_a, reviewer=w.reviewer_a)

    return world.once("impact_submitted_a", build)


def _journey(world):
    return {"pk": _certified(world).pk}


def _goal(world):
    journey = _certified(world)
    return {"pk": journey.pk, "goal_pk": journey.goals.first().pk}


def _version(world):
    return {"pk": _submitted(world).pk, "number": 1}


def _review(world):
    from journeys.tests.impact_fixtures import impact_review

    return {"review_pk": impact_review(_submitted(world)).pk}


CASES = {
    "journeys:impact": Case(expect=JOURNEY_READ, kwargs=_journey),
    "journeys:impact_reflection": Case(expect=JOURNEY_WRITE, kwargs=_goal),
    "journeys:impact_assessment": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:impact_evidence": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:impact_level": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:impact_check": Case(expect=JOURNEY_WRITE, kwargs=_journey),
    "journeys:impact_version": Case(expect=JOURNEY_READ, kwargs=_version),
    "journeys:impact_certificate": Case(expect=JOURNEY_READ_POST, kwargs=_journey, method="post"),
    "journeys:assess": Case(expect=REVIEW_DECIDE, kwargs=_review),
}
