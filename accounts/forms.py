"""Forms of the owner pages (invitations, roles, API keys, the organization's settings) and of
signing in and signing up through an invitation (django-allauth's forms, fitted)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta
from typing import Any, cast

from allauth.account.forms import AddEmailForm, LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.branding import DEFAULT_ACCENT, MAX_LOGO_BYTES, LogoError, logo_content_type
from accounts.models import TEAM_ROLE_CHOICES, Invitation, Organization, Role, User
from accounts.selectors import scoped

EXPIRY_CHOICES = [
    ("", _("Never")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
]


class SignInForm(LoginForm):
    """allauth's sign-in form (username or e-mail address), its name field posted as
    ``username`` as before allauth: saved passwords, scripts and the lockout keep working."""

    def add_prefix(self, field_name: str) -> str:
        return super().add_prefix("username" if field_name == "login" else field_name)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail address")
        self.fields["login"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""  # the page links the reset next to the button


class _EmailField:
    """allauth's address field, named as the rest of Funnelboard names it."""

    fields: dict[str, forms.Field]

    def _name_email_field(self) -> None:
        self.fields["email"].label = _("E-mail address")
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
        self.fields["email"].label = _("E-mail address")
        if invitation.email:
            self.fields["email"].initial = invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = _("The invitation was sent to this address.")

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if not self.invitation.is_for(email):
            raise forms.ValidationError(
                _("This invitation is for another e-mail address."), code="email"
            )
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(
        max_length=254, required=False,
        label=_("Email"),
        help_text=_("Only the person signed in with this address can use the link. Leave it "
                    "empty for a link anyone signed in can use once."),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER, label=_("Role"))
    # Influencers are another app's; the organization's own are reached through the relation.
    influencer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Creator"),
        help_text=_("For the creator role: the creator whose portal the invitation opens."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = cast(type[Model], Invitation._meta.get_field("influencer").related_model)
        influencers = cast(forms.ModelChoiceField, self.fields["influencer"])
        influencers.queryset = scoped(organization, model).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.CREATOR and not data.get("influencer"):
            self.add_error("influencer", _("Choose the creator this person is."))
        elif data.get("influencer") and data.get("role") != Role.CREATOR:
            self.add_error("influencer", _("Only a creator invitation names a creator."))
        return data


class RoleForm(forms.Form):
    # A creator is invited as one (bound to their influencer record), never made one here.
    role = forms.ChoiceField(choices=TEAM_ROLE_CHOICES, label=_("Role"))


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, label=_("Name"), help_text=_("What uses the key, e.g. “Shopify sync”.")
    )
    role = forms.ChoiceField(choices=TEAM_ROLE_CHOICES, initial=Role.VIEWER, label=_("Role"))
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label=_("Expires"))

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class OrganizationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices,
        label=_("Time zone"),
        help_text=_("Campaign dates and daily reports are read in this time zone."),
    )

    logo = forms.FileField(
        required=False,
        label=_("Logo"),
        help_text=_("PNG or SVG, at most 256 KB; shown on share pages, PDFs and digest "
                    "e-mails."),
    )
    remove_logo = forms.BooleanField(required=False, label=_("Remove the current logo"))
    disclosure_tags = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Disclosure tags"),
        help_text=_("One per line or comma-separated; a sponsored caption must carry one of "
                    "them near its start. Empty: #ad, #sponsored, #partner (and #تبلیغ, #آگهی, "
                    "#اسپانسر when the organisation writes Persian)."),
    )

    class Meta:
        model = Organization
        fields = (
            "name", "time_zone", "default_language", "require_two_factor", "accent_color",
            "report_footer", "disclosure_tags", "payout_approval_limit",
        )
        widgets = {"accent_color": forms.TextInput(attrs={"type": "color"})}
        labels = {
            "name": _("Name"),
            "accent_color": _("Accent color"),
            "report_footer": _("Report footer"),
            "payout_approval_limit": _("Payout approval limit"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A colour input cannot show "none": an empty accent would read, and save, as black.
        if not self.initial.get("accent_color"):
            self.initial["accent_color"] = DEFAULT_ACCENT
        self.initial["disclosure_tags"] = "\n".join(self.instance.disclosure_tags or [])

    def clean_accent_color(self) -> str:
        return self._kept_unless_posted("accent_color")

    def clean_default_language(self) -> str:
        return self._kept_unless_posted("default_language")

    def clean_report_footer(self) -> str:
        return self._kept_unless_posted("report_footer")

    def clean_payout_approval_limit(self) -> Any:
        if "payout_approval_limit" not in self.data:
            return self.instance.payout_approval_limit
        return self.cleaned_data["payout_approval_limit"]

    def clean_disclosure_tags(self) -> list[str]:
        if "disclosure_tags" not in self.data:
            return list(self.instance.disclosure_tags or [])
        tags = [t.strip() for t in re.split(r"[,\n]", self.cleaned_data["disclosure_tags"])]
        tags = [t for t in tags if t]
        bad = [t for t in tags if len(t) > 40 or re.search(r"\s", t)]
        if bad or len(tags) > 10:
            raise forms.ValidationError(
                _("At most 10 tags, each one word of up to 40 characters: %(tags)s")
                % {"tags": ", ".join(bad) or "…"}
            )
        return tags

    def _kept_unless_posted(self, name: str) -> str:
        # A client that does not know the branding fields (an older form, a script) leaves
        # them as they are rather than blanking them.
        if name not in self.data:
            return str(getattr(self.instance, name))
        return str(self.cleaned_data[name])

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(size)s KB.") % {"size": MAX_LOGO_BYTES // 1024}
            )
        data: bytes = upload.read()
        try:
            logo_content_type(data)
        except LogoError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class PreferencesForm(forms.ModelForm):
    """A person's own language and digits."""

    class Meta:
        model = User
        fields = ("language", "digits")
        labels = {"language": _("Language"), "digits": _("Digits")}
