"""Small pieces the per-object access helpers share.

Each kind of object has one helper (`get_school_for`, `get_journey_for`, ...) that every
view taking an id calls. "Missing" and "not yours" are the same 404 so that ids do not leak;
"yours but you may not do this" is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def not_found(kind="page"):
    return Http404(f"No such {kind}.")


def forbid(message="You do not have permission to do that."):
    return PermissionDenied(message)


def parse_pk(value):
    """An id from a URL as an int; anything else is a 404, never a 500."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise not_found() from None
    if pk <= 0 or pk > 2**63 - 1:
        raise not_found()
    return pk
