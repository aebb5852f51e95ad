"""Every learning programme URL x the standard cast (tests/matrix.py).

A New Direction (reviewer_a's organisation) runs an upcoming development day for schools;
teacher_a has a place on another of its sessions. world.partner is staff of a partner
organisation, so the schools' session is hidden from them by its audience (404), not by a
missing membership. Everyone may see a schools' session except the partner; only A New
Direction's reviewers and platform staff organise it (reviewer_other sees it: 403).
"""

from tests.matrix import LOGGED_IN, LOGIN, Case, statuses

ORGANISERS_ONLY = statuses(403, anonymous=LOGIN, reviewer_a=200, reviewer_other=200, admin=200)
SESSION_READ = statuses(200, anonymous=LOGIN, partner=404)
SESSION_MANAGE = statuses(403, anonymous=LOGIN, partner=404, reviewer_a=200, admin=200)
# Teachers book (a redirect to the session); reviewers and staff have nobody to book for.
SESSION_BOOK = statuses(403, anonymous=LOGIN, teacher_a=302, teacher_b=302, partner=404)
OWN_BOOKING = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)


def learning_world(world):
    def build(w):
        from learning import services
        from learning.tests.factories import LearningSessionFactory
        from partners.tests.factories import PartnerMembershipFactory

        PartnerMembershipFactory(user=w.partner)
        session = LearningSessionFactory(title="London development day")
        booked_on = LearningSessionFactory(title="London module", kind="module")
        booking = services.book_session(session=booked_on, user=w.teacher_a, school=w.school_a)
        return {"session": session, "booking": booking}

    return world.once("learning_world", build)


def _session(world):
    return {"pk": learning_world(world)["session"].pk}


def _booking(world):
    return {"booking_pk": learning_world(world)["booking"].pk}


def _no_args(world):
    learning_world(world)
    return {}


CASES = {
    "learning:sessions": Case(expect=LOGGED_IN, kwargs=_no_args),
    "learning:my_bookings": Case(expect=LOGGED_IN, kwargs=_no_args),
    "learning:session": Case(expect=SESSION_READ, kwargs=_session),
    "learning:book": Case(expect=SESSION_BOOK, kwargs=_session, method="post"),
    "learning:booking_cancel": Case(expect=OWN_BOOKING, kwargs=_booking),
    "learning:manage": Case(expect=ORGANISERS_ONLY, kwargs=_no_args),
    "learning:session_create": Case(expect=ORGANISERS_ONLY, kwargs=_no_args),
    "learning:session_edit": Case(expect=SESSION_MANAGE, kwargs=_session),
    "learning:session_bookings": Case(expect=SESSION_MANAGE, kwargs=_session),
    "learning:session_cancel": Case(expect=SESSION_MANAGE, kwargs=_session),
}
