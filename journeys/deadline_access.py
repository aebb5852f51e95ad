"""Access helper of the extension pages (CONVENTIONS.md, "Who may see what").

An extension request is reached through its journey's school: reviewers of a Bridge
Organisation covering the school, and platform staff, may read and decide it; the school's own
members get a 403 (they read their requests on the journey page); anyone else, and any id that
does not exist, a 404.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.access import is_member, reviews_school
from journeys.models import ExtensionRequest


def get_extension_for(user, pk):
    extension = (
        ExtensionRequest.objects.select_related(
            "journey__school__local_authority__region",
            "journey__framework",
            "requested_by",
            "decided_by",
        )
        .filter(pk=parse_pk(pk))
        .first()
    )
    if extension is None or not user.is_authenticated:
        raise not_found("extension request")
    school = extension.journey.school
    if user.is_superuser or reviews_school(user, school):
        return extension
    if is_member(user, school):
        raise forbid(
            "Only the Bridge Organisation's reviewers can decide on a request for more time."
        )
    raise not_found("extension request")
