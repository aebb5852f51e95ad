"""The Content Security Policy header (artsmark/common/csp.py), built once per settings."""

import pytest
from csp.utils import build_policy

pytestmark = pytest.mark.django_db


def test_content_security_policy_is_the_configured_one(client, settings):
    assert client.get("/accessibility/")["Content-Security-Policy"] == build_policy()
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], **{"img-src": ["'self'"]})
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    header = client.get("/accessibility/")["Content-Security-Policy"]
    assert "img-src 'self';" in header + ";"
    assert "data:" not in header
