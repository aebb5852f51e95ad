import pytest
from django.test import RequestFactory

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
