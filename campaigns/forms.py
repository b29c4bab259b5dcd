"""Forms of the campaign pages. They validate input and offer only the organization's records;
the writes themselves go through ``campaigns.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.selectors import Access, visible
from accounts.widgets import LocalDateInput, LocalDateTimeInput
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    PartnershipStatus,
    Post,
    PostType,
    PromoCode,
    TrackingLink,
)
from campaigns.post_urls import NOT_WEB, PostRef, post_url_problem, read_post_url
from campaigns.selectors import COMPENSATION_FIELDS, sees_compensation
from config.iso import CURRENCY_CHOICES
from influencers.models import Influencer, Platform
from metrics import registry

DATE = LocalDateInput()
DATETIME = LocalDateTimeInput()
# The model fields' own names, as the forms showed them, in the reader's language.
FIELD_LABELS = {
    "brand": gettext_lazy("Brand"), "name": gettext_lazy("Name"), "stage": gettext_lazy("Stage"),
    "objective": gettext_lazy("Objective"), "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"), "budget": gettext_lazy("Budget"),
    "currency": gettext_lazy("Currency"), "status": gettext_lazy("Status"),
    "attribution_window_days": gettext_lazy("Attribution window days"),
    "category": gettext_lazy("Category"), "amount": gettext_lazy("Amount"), "fee": gettext_lazy("Fee"),
    "incurred_on": gettext_lazy("Incurred on"), "partnership": gettext_lazy("Partnership"),
    "note": gettext_lazy("Note"), "product_value": gettext_lazy("Product value"),
    "commission_rate": gettext_lazy("Commission rate"), "notes": gettext_lazy("Notes"),
    "kind": gettext_lazy("Kind"), "code": gettext_lazy("Code"), "handle": gettext_lazy("Handle"),
    "active_from": gettext_lazy("Active from"), "active_until": gettext_lazy("Active until"),
    "platform": gettext_lazy("Platform"),
}


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
        labels = FIELD_LABELS
        help_texts = {
            "stage": gettext_lazy("Picks the headline KPIs: awareness (TOFU), leads (MOFU) or "
                                  "sales (BOFU)."),
            "attribution_window_days": gettext_lazy("How long after a click a sale still counts."),
        }

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = visible(access, Brand).order_by("name")  # type: ignore[attr-defined]
        currency = self.fields["currency"]
        currency.required = False
        currency.choices = [("", _("The brand's currency")), *CURRENCY_CHOICES]  # type: ignore[attr-defined]
        currency.help_text = _("ISO 4217. Unset: the brand's currency.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return data

    def _post_clean(self) -> None:
        # The service validates the full record (``full_clean``); skip ModelForm's instance
        # construction, which would demand the slug the service generates.
        pass


class KpiTargetForm(forms.Form):
    """A target in its KPI's own unit, which the metric's label names: ROI (%) 150 is 150%,
    ROAS (×) 1.5 is 1.5×, money in the campaign currency, counts as plain numbers."""

    metric = forms.ChoiceField(choices=KpiTarget.Metric.choices, label=gettext_lazy("KPI (unit)"))
    value = forms.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, label=gettext_lazy("Value"),
        help_text=lazy(lambda: _("In the unit after the KPI's name: %(units)s.") % {
            "units": "; ".join(f"{unit} — {help}" for unit, help in registry.TARGET_UNIT_HELP)
        }, str)(),
    )


class CostForm(forms.ModelForm):
    class Meta:
        model = Cost
        fields = ["category", "amount", "incurred_on", "partnership", "note"]
        widgets = {"incurred_on": DATE}
        labels = FIELD_LABELS

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
    "fee": gettext_lazy("Fixed fee in the campaign currency."),
    "product_value": gettext_lazy("Value of products sent."),
    "commission_rate": gettext_lazy("Percent of attributed net revenue."),
}


class PartnershipForm(forms.ModelForm):
    """Create (with an influencer) or edit a partnership; compensation only for admins."""

    class Meta:
        model = Partnership
        fields = ["influencer", "status", "fee", "product_value", "commission_rate", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = COMPENSATION_HELP
        labels = {**FIELD_LABELS, "influencer": gettext_lazy("Creator")}

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
        max_length=2000, assume_scheme="https", label=gettext_lazy("Destination URL"),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = TrackingLink
        fields = [
            "kind", "destination_url", "utm_source", "utm_medium", "utm_campaign",
            "utm_content", "utm_term",
        ]
        labels = {
            **FIELD_LABELS,
            "destination_url": gettext_lazy("Destination URL"),
            "utm_source": gettext_lazy("Source (utm_source)"),
            "utm_medium": gettext_lazy("Medium (utm_medium)"),
            "utm_campaign": gettext_lazy("Campaign (utm_campaign)"),
            "utm_content": gettext_lazy("Content (utm_content)"),
            "utm_term": gettext_lazy("Term (utm_term)"),
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
        labels = FIELD_LABELS
        help_texts = {"active_from": gettext_lazy("Optional."), "active_until": gettext_lazy("Optional.")}

    def _post_clean(self) -> None:
        pass


class BrandForm(forms.ModelForm):
    website = forms.URLField(required=False, max_length=500, assume_scheme="https",
                             label=gettext_lazy("Website"))

    class Meta:
        model = Brand
        fields = ["name", "website", "currency", "shopify_webhook_secret"]
        labels = {**FIELD_LABELS,
                  "shopify_webhook_secret": gettext_lazy("Shopify webhook signing secret")}
        widgets = {"shopify_webhook_secret": forms.PasswordInput(render_value=False)}
        help_texts = {
            "shopify_webhook_secret": gettext_lazy(
                "From Shopify → Settings → Notifications → Webhooks. "
                "Stored, never shown again; leave empty to keep the current one."
            ),
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
        labels = FIELD_LABELS

    def _post_clean(self) -> None:
        pass


class StatusMoveForm(forms.Form):
    status = forms.ChoiceField(choices=PartnershipStatus.choices)


# --- Posts ----------------------------------------------------------------------------------
MAX_BULK_POSTS = 100
PASTE_OR_PICK = gettext_lazy("Paste the post's URL, or choose the platform and give the post's id.")


def zone_label(organization: Organization) -> str:
    """The organization's zone and its abbreviation now, e.g. "Europe/Paris, CET"."""
    abbreviation = timezone.localtime(timezone.now(), organization.tzinfo).tzname()
    if abbreviation == organization.time_zone:
        return abbreviation
    return f"{organization.time_zone}, {abbreviation}"


def existing_post_error(post: Post) -> SafeString:
    metrics = reverse("metrics_entry:post_metrics") + f"?post={post.pk}"
    text = _('This post is already in the partnership (#%(number)s): <a href="%(url)s">enter its '
             'metrics</a>.')
    return mark_safe(text % {"number": conditional_escape(str(post.pk)), "url": conditional_escape(metrics)})


class PostForm(forms.Form):
    """A post by its URL (the platform and id read from it) or by platform and id. With
    ``partnerships`` (a creator's page) it also asks which of her partnerships."""

    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), label=gettext_lazy("Campaign"))
    url = forms.CharField(
        max_length=500, required=False, label=gettext_lazy("Post URL"),
        widget=forms.TextInput(attrs={"placeholder": "https://www.instagram.com/p/…", "inputmode": "url"}),
        help_text=gettext_lazy("Instagram, TikTok and YouTube links fill in the platform and the id."),
    )
    platform = forms.ChoiceField(
        required=False, label=gettext_lazy("Platform"),
        choices=[("", gettext_lazy("From the URL")), *Platform.choices],
        help_text=gettext_lazy("Only when the URL is not an Instagram, TikTok or YouTube post."),
    )
    external_id = forms.CharField(
        max_length=100, required=False, label=gettext_lazy("Post id on the platform"),
        help_text=gettext_lazy("Only when the URL does not say it."),
    )
    post_type = forms.ChoiceField(
        required=False, label=gettext_lazy("Post type"),
        choices=[("", gettext_lazy("From the URL (else Post)")), *PostType.choices],
    )
    published_at = forms.DateTimeField(required=False, widget=DATETIME, label=gettext_lazy("Posted at"))
    caption = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              label=gettext_lazy("Caption"))

    def __init__(
        self, *args: Any, organization: Organization, partnership: Partnership | None = None,
        partnerships: Any = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.for_partnership = partnership
        if partnerships is None:
            del self.fields["partnership"]
        else:
            field = self.fields["partnership"]
            field.queryset = partnerships  # type: ignore[attr-defined]
            field.empty_label = _("Choose a campaign")  # type: ignore[attr-defined]
            if not self.is_bound and len(partnerships) == 1:
                self.initial["partnership"] = partnerships[0].pk
            field.label_from_instance = lambda p: f"{p.campaign.name} ({p.campaign.brand.name})"  # type: ignore[attr-defined]
        self.fields["published_at"].help_text = _("In %(zone)s.") % {"zone": zone_label(organization)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        url = (data.get("url") or "").strip()
        ref = read_post_url(url) if url else None
        if ref is not None:
            self._check_against(ref, data)
            data.update(platform=ref.platform, external_id=ref.external_id, url=ref.url)
            data["post_type"] = data.get("post_type") or ref.post_type or PostType.POST
        else:
            self._require_platform_and_id(url, data)
            data["post_type"] = data.get("post_type") or PostType.POST
        partnership = data.get("partnership") or self.for_partnership
        if partnership is not None and data.get("platform") and data.get("external_id"):
            existing = Post.objects.filter(
                partnership=partnership, platform=data["platform"], external_id=data["external_id"]
            ).first()
            if existing is not None:
                self.add_error("url" if ref else "external_id", existing_post_error(existing))
        return data

    def _check_against(self, ref: PostRef, data: dict[str, Any]) -> None:
        if data.get("platform") and data["platform"] != ref.platform:
            self.add_error("platform", _("The URL is a post on %(platform)s.")
                           % {"platform": Platform(ref.platform).label})
        if data.get("external_id") and data["external_id"] != ref.external_id:
            self.add_error("external_id", _("The URL says the post's id is %(id)s.")
                           % {"id": ref.external_id})

    def _require_platform_and_id(self, url: str, data: dict[str, Any]) -> None:
        problem = post_url_problem(url) if url else ""
        if problem == NOT_WEB:
            self.add_error("url", problem)
        elif url:
            try:
                URLValidator(schemes=["http", "https"])(url if "://" in url else f"https://{url}")
            except ValidationError:
                self.add_error("url", NOT_WEB)
            else:
                data["url"] = url if "://" in url else f"https://{url}"
        if not url and not data.get("platform") and not data.get("external_id"):
            self.add_error("url", PASTE_OR_PICK)
            return
        if not data.get("platform"):
            # Why the URL did not do it, said once, by the first field to fill in.
            why = f"{problem[0].lower()}{problem[1:]}" if problem and problem != NOT_WEB else ""
            message = _("Choose the platform: %(why)s") % {"why": why} if why else _("Choose the platform.")
            self.add_error("platform", message)
        if not data.get("external_id"):
            self.add_error("external_id", _("Give the post's id on the platform."))

    def post_fields(self) -> dict[str, Any]:
        """What ``services.post_add`` takes."""
        names = ("platform", "external_id", "url", "post_type", "published_at", "caption")
        return {name: self.cleaned_data.get(name) for name in names if name in self.cleaned_data}


class BulkPostsForm(forms.Form):
    urls = forms.CharField(
        label=gettext_lazy("Post URLs"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": gettext_lazy("One URL a line")}),
        help_text=lazy(lambda: _("One a line, up to %(count)s: Instagram, TikTok or YouTube posts.")
                       % {"count": MAX_BULK_POSTS}, str)(),
    )

    def clean_urls(self) -> list[str]:
        lines = self.cleaned_data["urls"].splitlines()
        if not any(line.strip() for line in lines):
            raise ValidationError(_("Paste at least one URL."))
        if len([line for line in lines if line.strip()]) > MAX_BULK_POSTS:
            raise ValidationError(_("Paste at most %(count)s URLs at a time.") % {"count": MAX_BULK_POSTS})
        return lines
