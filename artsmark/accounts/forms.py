from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.forms import NON_FIELD_ERRORS


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page has its own "Forgotten your password?" link; allauth's help text was a second.
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me on this device"

    @property
    def locked_out(self):
        return self.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As your colleagues would know you.",
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        return user
