from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages


def login_lock_minutes():
    """How long an account stays locked after too many failed logins, from the per-account
    rate in ACCOUNT_RATE_LIMITS (e.g. "5/900s/key" is 15 minutes)."""
    from allauth.core.internal.ratelimit import parse_rates

    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    seconds = max((rate.duration for rate in rates if rate.per == "key"), default=900)
    return max(1, round(seconds / 60))


class AccountAdapter(DefaultAccountAdapter):
    """allauth's behaviour, in the portal's words."""

    @property
    def error_messages(self):
        minutes = login_lock_minutes()
        return {
            **DefaultAccountAdapter.error_messages,
            "too_many_login_attempts": (
                "Too many failed login attempts: this account is locked for "
                f"{minutes} minute{'s' if minutes != 1 else ''}. Try again after that, or "
                "reset your password to log in now."
            ),
        }

    def get_email_verification_redirect_url(self, email_address):
        # Confirming in the browser that signed up logs the user in (ACCOUNT_LOGIN_ON_EMAIL_
        # CONFIRMATION); confirming anywhere else lands on the login page, which says why.
        if not self.request.user.is_authenticated:
            messages.info(
                self.request,
                "Now log in with your email address and password to continue.",
            )
        return super().get_email_verification_redirect_url(email_address)
