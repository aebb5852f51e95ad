"""The Content Security Policy header, built once rather than on every response."""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_built = {}


@receiver(setting_changed)
def _forget_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def _policy():
    if "policy" not in _built:
        _built["policy"] = build_policy()
    return _built["policy"]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the portal's policy built once (issue 11).

    The portal's policy is the same for every response: no nonces, no per-view changes, no
    report-only twin. django-csp rebuilds both headers from settings on each response; here a
    response that asks for none of those gets the header built the first time. One that does
    (a nonce used, a django-csp decorator on its view) is left to django-csp.
    """

    _PER_VIEW = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages style themselves inline
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in self._PER_VIEW
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = _policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
