from django import forms


class SchoolSearchForm(forms.Form):
    q = forms.CharField(
        label="School name, URN or postcode",
        max_length=100,
        required=False,
        help_text="For example: Star Primary, 102744, E13 8BG or Newham (the local authority)",
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label="Message to the approver (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what your role at the school is, so that they know who you are.",
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Colleague's email address", max_length=254)
