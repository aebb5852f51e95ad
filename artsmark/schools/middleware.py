"""Per-request memberships for the access checks (artsmark/schools/access.py)."""

from django.utils.functional import SimpleLazyObject

from artsmark.schools.access import RequestRoles


class RequestRolesMiddleware:
    """Give the request's signed-in user a RequestRoles, without loading the user early."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user  # a lazy object: nothing is read until a view looks at it

        def with_roles():
            if user.is_authenticated:
                user.request_roles = RequestRoles(user)
            return user

        request.user = SimpleLazyObject(with_roles)
        return self.get_response(request)
