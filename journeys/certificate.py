"""The data of a school's Artsmark certificate: a plain dict that templates/pdf/certificate.html
lays out on one page. Registered in settings.REPORT_KINDS as the "certificate" kind."""

from django.utils import timezone

from journeys.models import Award


class NoAwardError(ValueError):
    """A certificate was asked for a journey that has not been awarded."""


def certificate_data(journey):
    """School, level, award date and expiry of the journey's award (two queries at most).

    Raises NoAwardError when the journey has no award: the report pipeline then records the
    request as failed with a plain message, and no certificate is made.
    """
    award = (
        Award.objects.filter(journey_id=journey.pk)
        .select_related("journey__school__local_authority__region", "journey__framework")
        .first()
    )
    if award is None:
        raise NoAwardError(f"Journey {journey.pk} has no award, so it has no certificate.")
    school = award.journey.school
    local_authority = school.local_authority
    level_label = award.get_level_display()
    return {
        "title": f"Artsmark {level_label} certificate: {school.name}",
        "generated_on": timezone.localdate(),
        "school": {
            "name": school.name,
            "urn": school.urn,
            "local_authority": local_authority.name if local_authority else "",
            "region": local_authority.region.name if local_authority else "",
        },
        "level": award.level,
        "level_label": level_label,
        "awarded_on": award.awarded_on,
        "expires_on": award.expires_on,
        "framework": str(award.journey.framework),
    }
