"""Access helpers of the fee and renewal pages (CONVENTIONS.md, "Who may see what").

Invoices are platform staff's business and the school's: staff (superusers) list them and
record payments; a school's members read their own invoice. A reviewer who may read the
journey may not open its invoice (403); anyone else, and any id that does not exist, a 404.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.access import is_member
from journeys.access import get_journey_for
from journeys.models import Invoice
from journeys.services.renewal import can_renew


def require_staff(user, what="do that"):
    """Pages only platform staff use: everyone else signed in gets a 403."""
    if not user.is_superuser:
        raise forbid(f"Only platform staff can {what}.")


def can_see_invoice(user, journey):
    """Platform staff and the members of the journey's school read its invoice."""
    return user.is_superuser or is_member(user, journey.school)


def get_invoice_for(user, pk, *, record=False):
    """An invoice, for platform staff or (to read) a member of the journey's school.

    `record=True` (recording a payment) is for staff only: a 403 for everyone else, whatever
    the id, since nobody else may use that page at all.
    """
    if record:
        require_staff(user, "record a payment")
    invoice = (
        Invoice.objects.select_related(
            "journey__school__local_authority__region",
            "journey__framework",
            "payment_recorded_by",
        )
        .filter(pk=parse_pk(pk))
        .first()
    )
    if invoice is None or not user.is_authenticated:
        raise not_found("invoice")
    if can_see_invoice(user, invoice.journey):
        return invoice
    # Through the journey: its reviewers may read the journey (so a 403), others get a 404.
    get_journey_for(user, invoice.journey_id)
    raise forbid("Only the school's members and platform staff can see its invoice.")


def get_journey_to_renew(user, pk):
    """A journey its school's Artsmark lead (or platform staff) may renew."""
    journey = get_journey_for(user, pk, write=True)
    if can_renew(user, journey):
        return journey
    raise forbid("Only the school's Artsmark lead can renew its Artsmark.")
