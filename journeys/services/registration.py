import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.schools.access import is_lead
from journeys.enums import Stage
from journeys.models import Framework, Journey
from journeys.services.fees import raise_invoice


def register_school(*, school, actor):
    """Open a journey for `school` on the current framework, with its first due date.

    Only the school's Artsmark lead (or platform staff) registers; a school has at most one
    open journey, which the database enforces too.
    """
    if not (actor.is_superuser or is_lead(actor, school)):
        raise ValidationError("Only the school's Artsmark lead can register it for Artsmark.")
    framework = Framework.objects.current()
    if framework is None:
        raise ValidationError("Registration is closed: there is no current Artsmark framework.")
    if Journey.objects.open().filter(school=school).exists():
        raise ValidationError(f"{school.name} is already registered for Artsmark.")
    today = timezone.localdate()
    try:
        with transaction.atomic():
            journey = Journey.objects.create(
                school=school,
                framework=framework,
                stage=Stage.REGISTERED,
                registered_by=actor,
                commitment_due=today + datetime.timedelta(days=framework.commitment_due_days),
            )
            record_activity(
                subject=journey, actor=actor, verb="registered", to_state=Stage.REGISTERED
            )
            # The registration fee from the framework's fee table (none if it has no table).
            raise_invoice(journey=journey)
    except IntegrityError:
        # Someone else registered the school between the check and the insert.
        raise ValidationError(f"{school.name} is already registered for Artsmark.") from None
    return journey
