import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from artsmark.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_with_email_and_password_goes_home(client):
    user = UserFactory()
    response = _log_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_wrong_password_shows_error_summary(client):
    user = UserFactory()
    response = _log_in(client, user.email, "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert user.email in page  # what was typed is kept


def test_login_wrong_password_shows_one_error_and_one_reset_link(client):
    user = UserFactory()
    page = _log_in(client, user.email, "wrong").content.decode()
    assert page.count("password you specified are not correct") == 1
    assert page.count(f'href="{reverse("account_reset_password")}"') == 1


def test_login_locks_out_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        _log_in(client, user.email, "wrong")
    response = _log_in(client, user.email, PASSWORD)  # even the right password is refused now
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lock_out_says_how_long_and_offers_reset(client):
    user = UserFactory()
    for _ in range(6):
        response = _log_in(client, user.email, "wrong")
    page = response.content.decode()
    assert "this account is locked for 15 minutes" in page
    assert page.count("locked for 15 minutes") == 1
    assert page.count(f'href="{reverse("account_reset_password")}"') == 1
    assert "Reset your password" in page


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2")


def test_unverified_email_cannot_log_in(client):
    from artsmark.accounts.models import User

    User.objects.create_user(email="new@example.test", password=PASSWORD)
    response = _log_in(client, "new@example.test", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_check_deploy_has_no_warnings_in_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-real-looking-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "artsmark.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_password_reset_by_email_link_sets_new_password_and_lifts_lock_out(client):
    user = UserFactory()
    for _ in range(6):
        _log_in(client, user.email, "wrong")
    page = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    assert "Check your email" in page.content.decode()
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]  # allauth hides the key behind a redirect
    assert "Choose a new password" in client.get(form_url).content.decode()
    new_password = "a-long-and-unusual-passphrase-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    _log_in(client, user.email, new_password)
    assert client.session["_auth_user_id"] == str(user.pk)
