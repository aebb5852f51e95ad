from django.core.exceptions import ValidationError
from django.db import transaction

from artsmark.common.activity import record_activity
from journeys.enums import PartnershipSource
from journeys.models import Partnership


def record_partnership(
    *,
    journey,
    partner_name,
    description,
    actor,
    goal=None,
    source=PartnershipSource.MANUAL,
    source_reference="",
    started_on=None,
):
    """Add a partnership to a journey (by hand, or when a school accepts an enquiry)."""
    partner_name = (partner_name or "").strip()
    if not partner_name:
        raise ValidationError("Enter the partner's name.")
    if goal is not None and goal.journey_id != journey.pk:
        raise ValidationError("That goal belongs to another journey.")
    if not journey.is_open:
        raise ValidationError("This journey has ended, so partnerships cannot be added.")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            journey=journey,
            partner_name=partner_name[:200],
            description=description or "",
            goal=goal,
            started_on=started_on,
            source=PartnershipSource(source),
            source_reference=source_reference or "",
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_activity(
            subject=journey,
            actor=actor,
            verb="partnership_recorded",
            note=partnership.partner_name,
        )
    return partnership
