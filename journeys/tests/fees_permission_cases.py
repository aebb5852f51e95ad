"""Every fee and renewal URL x the standard cast (tests/matrix.py).

School A's awarded journey has its registration invoice (unpaid) and an award expiring within
the renewal window. Platform staff list invoices and record payments (everyone else signed in:
403, whatever the id); A's members read A's invoice and A's lead renews (A's reviewer may read
the journey but not its invoice or renewal: 403); everyone else gets a 404.
"""

from tests.matrix import LOGIN, Case, statuses

STAFF_ONLY = statuses(403, anonymous=LOGIN, admin=200)
MEMBERS_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)


def awarded_a(world):
    """School A's awarded journey, its award expiring in 30 days, with an unpaid invoice."""

    def build(w):
        import datetime

        from django.utils import timezone

        from journeys.enums import Stage
        from journeys.services.fees import raise_invoice
        from journeys.tests.factories import JourneyFactory

        journey = JourneyFactory(
            school=w.school_a,
            stage=Stage.AWARDED,
            award_expires=timezone.localdate() + datetime.timedelta(days=30),
        )
        return {"journey": journey, "invoice": raise_invoice(journey=journey)}

    return world.once("fees_awarded_a", build)


def _no_kwargs(world):
    awarded_a(world)  # an invoice exists to be listed (or refused)
    return {}


def _invoice(world):
    return {"invoice_pk": awarded_a(world)["invoice"].pk}


CASES = {
    "journeys:invoices": Case(expect=STAFF_ONLY, kwargs=_no_kwargs),
    "journeys:invoice": Case(expect=MEMBERS_READ, kwargs=_invoice),
    "journeys:invoice_payment": Case(expect=STAFF_ONLY, kwargs=_invoice),
    # The lead renews: teacher_a leads school A.
    "journeys:renew": Case(
        expect=MEMBERS_READ, kwargs=lambda w: {"pk": awarded_a(w)["journey"].pk}
    ),
}
