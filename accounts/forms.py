"""Forms of the owner pages (invitations, roles, API keys, the organization's settings) and of
signing in and signing up through an invitation (django-allauth's forms, fitted)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from allauth.account.forms import AddEmailForm, LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.utils import timezone

from accounts.models import Invitation, Organization, Role

EXPIRY_CHOICES = [
    ("", "Never"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class SignInForm(LoginForm):
    """allauth's sign-in form (username or e-mail address), its name field posted as
    ``username`` as before allauth: saved passwords, scripts and the lockout keep working."""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username or e-mail address"
        self.fields["login"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""  # the page links the reset next to the button


class _EmailField:
    """allauth's address field, named as the rest of Funnelboard names it."""

    fields: dict[str, forms.Field]

    def _name_email_field(self) -> None:
        self.fields["email"].label = "E-mail address"
        self.fields["email"].widget.attrs.pop("placeholder", None)


class AddEmailAddressForm(_EmailField, AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_email_field()


class PasswordResetRequestForm(_EmailField, ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_email_field()


class InvitationSignupForm(SignupForm):
    """allauth's sign-up form — its username rules, unique address and the password
    validators — for one invitation. An invitation that names an address takes only that one."""

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["email"].label = "E-mail address"
        if invitation.email:
            self.fields["email"].initial = invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = "The invitation was sent to this address."

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if not self.invitation.is_for(email):
            raise forms.ValidationError(
                "This invitation is for another e-mail address.", code="email"
            )
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=254, required=False,
        help_text="Only the person signed in with this address can use the link. Leave it "
        "empty for a link anyone signed in can use once.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses the key, e.g. “Shopify sync”.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class OrganizationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices,
        help_text="Campaign dates and daily reports are read in this time zone.",
    )

    class Meta:
        model = Organization
        fields = ("name", "time_zone", "require_two_factor")
