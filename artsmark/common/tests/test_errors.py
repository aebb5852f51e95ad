import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse

from artsmark.common.views import server_error

pytestmark = pytest.mark.django_db


def test_unknown_url_gives_portal_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_plain_and_apologetic():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_landing_page_explains_the_portal(client):
    response = client.get("/")
    assert "Statement of Commitment" in response.content.decode()


def test_pages_send_a_content_security_policy(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_server_error_page_is_styled_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/css/portal.css" in page


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # ICO header


def test_pages_link_the_favicon_and_logo(client):
    page = client.get("/").content.decode()
    assert 'href="/static/img/favicon.ico"' in page
    assert 'src="/static/img/logo.svg"' in page


def test_pages_turn_off_htmx_inline_indicator_style(client):
    # htmx would otherwise insert a <style> element, which the CSP blocks on every page.
    page = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in page


def test_accessibility_statement_follows_gov_uk_model(client):
    page = client.get(reverse("accessibility")).content.decode()
    for heading in [
        "Compliance status",
        "Non-accessible content",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ]:
        assert f">{heading}</h" in page


def _handlers_that_print(record):
    """The handlers (pytest's own left out) that would write this record, root included."""
    handlers, logger = [], logging.getLogger(record.name)
    while logger:
        handlers += [
            h
            for h in logger.handlers
            if not type(h).__module__.startswith("_pytest") and h.filter(record)
        ]
        logger = logger.parent if logger.propagate else None
    return handlers


def test_forbidden_request_is_logged_once_without_traceback(world, client_for, settings, caplog):
    # DEBUG on: Django's own console handler (development only) printed each 403 a second time.
    settings.DEBUG = True
    url = reverse("schools:invite", kwargs={"pk": world.school_a.pk})
    response = client_for(world.reviewer_a).get(url)
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {url}"
    assert record.exc_info is None
    assert len(_handlers_that_print(record)) == 1
