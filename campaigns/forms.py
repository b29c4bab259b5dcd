"""Forms of the campaign pages. They validate input and offer only the organization's records;
the writes themselves go through ``campaigns.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.selectors import Access, visible
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    PartnershipStatus,
    PromoCode,
    TrackingLink,
)
from campaigns.selectors import COMPENSATION_FIELDS, sees_compensation
from influencers.models import Influencer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one,
    else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                messages = item.messages if hasattr(item, "messages") else [str(item)]
                for message in messages:
                    prefix = "" if target or name == "__all__" else f"{name}: "
                    form.add_error(target, f"{prefix}{message}")
    else:
        for message in error.messages:
            form.add_error(None, message)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "brand", "name", "stage", "objective", "start_date", "end_date", "budget",
            "currency", "status", "attribution_window_days",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "objective": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "stage": "Picks the headline KPIs: awareness (TOFU), leads (MOFU) or sales (BOFU).",
            "attribution_window_days": "How long after a click a sale still counts.",
        }

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = visible(access, Brand).order_by("name")  # type: ignore[attr-defined]
        self.fields["currency"].required = False
        self.fields["currency"].help_text = "ISO 4217, e.g. USD. Empty: the brand's currency."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return data

    def _post_clean(self) -> None:
        # The service validates the full record (``full_clean``); skip ModelForm's instance
        # construction, which would demand the slug the service generates.
        pass


class KpiTargetForm(forms.Form):
    metric = forms.ChoiceField(choices=KpiTarget.Metric.choices)
    value = forms.DecimalField(max_digits=18, decimal_places=4, min_value=0)


class CostForm(forms.ModelForm):
    class Meta:
        model = Cost
        fields = ["category", "amount", "incurred_on", "partnership", "note"]
        widgets = {"incurred_on": DATE}

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = self.fields["partnership"]
        partnership.queryset = Partnership.objects.filter(  # type: ignore[attr-defined]
            campaign=campaign
        ).select_related("influencer")
        partnership.required = False
        partnership.label_from_instance = lambda p: p.influencer.name  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


COMPENSATION_HELP = {
    "fee": "Fixed fee in the campaign currency.",
    "product_value": "Value of products sent.",
    "commission_rate": "Percent of attributed net revenue.",
}


class PartnershipForm(forms.ModelForm):
    """Create (with an influencer) or edit a partnership; compensation only for admins."""

    class Meta:
        model = Partnership
        fields = ["influencer", "status", "fee", "product_value", "commission_rate", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = COMPENSATION_HELP
        labels = {"influencer": "Creator"}

    def __init__(
        self, *args: Any, access: Access, campaign: Campaign, creating: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["influencer"].queryset = (  # type: ignore[attr-defined]
                visible(access, Influencer).exclude(partnerships__campaign=campaign).order_by("name")
            )
        else:
            del self.fields["influencer"]
        if not sees_compensation(access):
            for name in COMPENSATION_FIELDS:
                del self.fields[name]

    def _post_clean(self) -> None:
        pass


class LinkForm(forms.ModelForm):
    destination_url = forms.URLField(
        max_length=2000, assume_scheme="https", label="Destination URL",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = TrackingLink
        fields = [
            "kind", "destination_url", "utm_source", "utm_medium", "utm_campaign",
            "utm_content", "utm_term",
        ]
        labels = {
            "destination_url": "Destination URL",
            "utm_source": "Source (utm_source)",
            "utm_medium": "Medium (utm_medium)",
            "utm_campaign": "Campaign (utm_campaign)",
            "utm_content": "Content (utm_content)",
            "utm_term": "Term (utm_term)",
        }

    def clean_destination_url(self) -> str:
        from campaigns.links import destination_error

        url = self.cleaned_data["destination_url"]
        error = destination_error(url)
        if error:
            raise ValidationError(error)
        return str(url)

    def _post_clean(self) -> None:
        pass


def link_defaults(partnership: Partnership) -> dict[str, str]:
    """The builder's defaults: source = platform, medium = influencer, campaign = the
    campaign's slug, content = the creator's handle (their biggest account)."""
    accounts = sorted(
        partnership.influencer.social_accounts.all(),
        key=lambda a: -(a.followers or 0),
    )
    main = accounts[0] if accounts else None
    brand = partnership.campaign.brand
    return {
        "kind": "utm",
        "destination_url": brand.website or "",
        "utm_source": main.platform if main else "",
        "utm_medium": "influencer",
        "utm_campaign": partnership.campaign.slug,
        "utm_content": main.handle if main else partnership.influencer.name.lower().replace(" ", ""),
    }


class PromoCodeForm(forms.ModelForm):
    class Meta:
        model = PromoCode
        fields = ["code", "active_from", "active_until"]
        widgets = {"active_from": DATETIME, "active_until": DATETIME}
        help_texts = {"active_from": "Optional.", "active_until": "Optional."}

    def _post_clean(self) -> None:
        pass


class BrandForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Brand
        fields = ["name", "website", "currency", "shopify_webhook_secret"]
        labels = {"shopify_webhook_secret": "Shopify webhook signing secret"}
        widgets = {"shopify_webhook_secret": forms.PasswordInput(render_value=False)}
        help_texts = {
            "shopify_webhook_secret": "From Shopify → Settings → Notifications → Webhooks. "
            "Stored, never shown again; leave empty to keep the current one.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shopify_webhook_secret"].required = False

    def _post_clean(self) -> None:
        pass


class BrandAccountForm(forms.ModelForm):
    class Meta:
        model = BrandAccount
        fields = ["platform", "handle"]

    def _post_clean(self) -> None:
        pass


class StatusMoveForm(forms.Form):
    status = forms.ChoiceField(choices=PartnershipStatus.choices)
