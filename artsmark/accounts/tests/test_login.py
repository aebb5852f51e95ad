import os
import subprocess
import sys

import pytest
from django.conf import settings
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


def test_login_locks_out_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        _log_in(client, user.email, "wrong")
    response = _log_in(client, user.email, PASSWORD)  # even the right password is refused now
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


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
