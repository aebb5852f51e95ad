"""The landing page: a first visit is served from the cache, anything personal is not."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from artsmark.common.views import LANDING_CACHE_KEY

pytestmark = pytest.mark.django_db


def test_first_visit_is_kept_in_the_cache_and_served_from_it(client):
    assert cache.get(LANDING_CACHE_KEY) is None
    first = client.get("/")
    assert first.status_code == 200
    cached = cache.get(LANDING_CACHE_KEY)
    assert "Statement of Commitment" in cached
    # What is served next is what the cache holds (changed here to tell them apart).
    cache.set(LANDING_CACHE_KEY, cached.replace("Artsmark Journeys</h1>", "Cached</h1>"))
    assert "Cached</h1>" in client.get("/").content.decode()


def test_first_visit_page_has_no_csrf_token_or_set_cookie(client):
    response = client.get("/")
    assert "csrf" not in response.content.decode().lower()
    assert not response.cookies


def _messages_cookie(text):
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[storage.cookie_name].value


def test_a_visit_with_cookies_is_rendered_fresh_with_its_messages(client):
    client.get("/")  # fills the cache
    client.cookies["messages"] = _messages_cookie("You have signed out.")
    body = client.get("/").content.decode()
    assert "You have signed out." in body
    assert "You have signed out." not in cache.get(LANDING_CACHE_KEY)


def test_signed_in_user_goes_home_even_with_the_page_cached(client, world):
    client.get("/")
    client.force_login(world.teacher_a)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/home/"
