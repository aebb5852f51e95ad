"""The emails allauth sends for us speak in the portal's voice, and confirming signs in."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _sign_up(client, email="jo.teacher@example.test"):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Jo Teacher",
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def _link(message):
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_email_is_in_portal_voice_with_sentence_case_subject(client):
    _sign_up(client)
    [message] = mail.outbox
    assert message.subject == (
        "[Artsmark] Confirm your email address to finish creating your account"
    )
    assert "Welcome to Artsmark Journeys, Jo Teacher." in message.body
    assert "Hello from" not in message.body
    assert "testserver" not in message.body.replace(_link(message), "")


def test_password_reset_email_is_in_portal_voice(client):
    user = UserFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = mail.outbox
    assert message.subject == "[Artsmark] Reset your password"
    assert "reset the password for your Artsmark Journeys account" in message.body
    assert "Hello from" not in message.body
    assert "/accounts/password/reset/key/" in _link(message)


def test_password_reset_email_for_unknown_address_is_in_portal_voice(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    [message] = mail.outbox
    assert message.subject == "[Artsmark] No Artsmark Journeys account for this email address"
    assert "Hello from" not in message.body


def test_signup_with_existing_address_email_is_in_portal_voice(client):
    user = UserFactory()
    _sign_up(client, email=user.email)
    [message] = mail.outbox
    assert message.subject == "[Artsmark] You already have an account"
    assert "Hello from" not in message.body


def test_confirm_email_in_signup_browser_signs_in(client):
    _sign_up(client)
    response = client.post(_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"]


def test_confirm_email_in_other_browser_says_to_log_in():
    signup_client = Client()
    _sign_up(signup_client)
    other = Client()
    response = other.post(_link(mail.outbox[0]))
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in other.session
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == [
        "Thank you: your email address jo.teacher@example.test is confirmed.",
        "Now log in with your email address and password to continue.",
    ]


def test_confirm_email_page_is_in_sentence_case(client):
    _sign_up(client)
    page = Client().get(_link(mail.outbox[0])).content.decode()
    assert "<h1>Confirm your email address</h1>" in page
    assert "Confirm Email Address" not in page


def test_confirm_email_expired_link_says_how_to_get_another(client):
    page = client.get(reverse("account_confirm_email", args=["no-such-key"])).content.decode()
    assert "This link has expired or has already been used." in page
    assert reverse("account_login") in page
