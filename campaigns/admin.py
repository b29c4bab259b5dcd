"""Admin for brands, campaigns and what a campaign hands out, scoped to the staff user's orgs.

Saves and deletes that move a campaign's numbers queue its KPI recompute, as the services do;
the promo-code rule that needs more than a constraint (unique per brand among overlapping
periods) is checked with the service's own check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from accounts.admin import ScopedModelAdmin, ScopedTabularInline, admin_access
from accounts.models import Organization
from accounts.services import audit_record
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    KpiTarget,
    Partnership,
    Post,
    PromoCode,
    TrackingLink,
)
from campaigns.services import _ensure_code_free
from metrics import admin_kpis
from metrics.scheduling import schedule_kpi_recompute


class RecomputesKpisMixin:
    """Queues a KPI recompute of the campaigns a saved or deleted row feeds."""

    campaign_path: str = "campaign_id"

    def campaign_ids_of(self, objects: Iterable[Model]) -> list[int]:
        ids: list[int] = []
        for obj in objects:
            value: Any = obj
            for part in self.campaign_path.split("__"):
                value = getattr(value, part, None) if value is not None else None
            if value is not None:
                ids.append(int(value))
        return ids

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        schedule_kpi_recompute(self.campaign_ids_of([obj]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        ids = self.campaign_ids_of([obj])
        super().delete_model(request, obj)  # type: ignore[misc]
        schedule_kpi_recompute(ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = self.campaign_ids_of(list(queryset))
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        schedule_kpi_recompute(ids)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        # Inline rows (partnerships, codes, costs…) change the parent's campaign.
        schedule_kpi_recompute(self.campaign_ids_of([form.instance]))


class AuditsChangesMixin:
    """Writes the audit entries the services write for the same changes (money, deletions)."""

    audit_prefix: str = ""
    audited_fields: tuple[str, ...] = ()
    organization_attr: str = "campaign.brand.organization"

    def organization_of(self, obj: Any) -> Organization:
        value = obj
        for part in self.organization_attr.split("."):
            value = getattr(value, part)
        return value

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        touched = [name for name in self.audited_fields if name in form.changed_data]
        if touched:
            organization = self.organization_of(obj)
            audit_record(
                access=admin_access(request, organization), organization=organization,
                action=f"{self.audit_prefix}.{'changed' if change else 'created'}", obj=obj,
                changes={name: [str(form.initial.get(name)) if change else None,
                                str(form.cleaned_data.get(name))] for name in touched},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        organization = self.organization_of(obj)
        audit_record(
            access=admin_access(request, organization), organization=organization,
            action=f"{self.audit_prefix}.deleted", obj=obj, changes={"repr": str(obj)},
        )
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            organization = self.organization_of(obj)
            audit_record(
                access=admin_access(request, organization), organization=organization,
                action=f"{self.audit_prefix}.deleted", obj=obj, changes={"repr": str(obj)},
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


# --- Brands ---------------------------------------------------------------------------------
class BrandAdminForm(forms.ModelForm):
    shopify_webhook_secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Write-only. Leave empty to keep the current secret.",
    )
    clear_shopify_webhook_secret = forms.BooleanField(
        required=False, label="Remove the Shopify secret"
    )

    class Meta:
        model = Brand
        fields = ("organization", "name", "website", "currency", "shopify_webhook_secret")

    def clean_shopify_webhook_secret(self) -> str:
        new: str = self.cleaned_data.get("shopify_webhook_secret", "")
        if self.cleaned_data.get("clear_shopify_webhook_secret"):
            return ""
        if not new and self.instance.pk:
            return self.instance.shopify_webhook_secret
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("clear_shopify_webhook_secret"):
            cleaned["shopify_webhook_secret"] = ""
        return cleaned


class BrandAccountInline(ScopedTabularInline):
    model = BrandAccount
    fields = ("platform", "handle", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Brand)
class BrandAdmin(AuditsChangesMixin, ScopedModelAdmin):
    audit_prefix = "brand"
    organization_attr = "organization"
    form = BrandAdminForm
    list_display = ("name", "organization", "currency", "website", "secret_status", "created_at")
    list_filter = ("organization", "currency")
    search_fields = ("name", "website", "key")
    list_select_related = ("organization",)
    readonly_fields = ("key", "secret_status", "created_at")
    fields = ("organization", "name", "website", "currency", "key", "secret_status",
              "shopify_webhook_secret", "clear_shopify_webhook_secret", "created_at")
    inlines = [BrandAccountInline]

    @admin.display(description="Shopify secret")
    def secret_status(self, obj: Brand) -> str:
        # Masked: the secret signs webhooks, so it is never shown back.
        return "•••••• set" if obj.shopify_webhook_secret else "not set"


@admin.register(BrandAccount)
class BrandAccountAdmin(ScopedModelAdmin):
    list_display = ("handle", "platform", "brand", "created_at")
    list_filter = ("platform", "brand__organization")
    search_fields = ("handle", "brand__name")
    list_select_related = ("brand",)
    autocomplete_fields = ("brand",)
    readonly_fields = ("created_at",)


# --- Campaigns ------------------------------------------------------------------------------
class PartnershipInline(ScopedTabularInline):
    model = Partnership
    fields = ("influencer", "status", "fee", "product_value", "commission_rate", "headline")
    readonly_fields = ("headline",)
    autocomplete_fields = ("influencer",)

    @admin.display(description="Headline KPIs")
    def headline(self, obj: Partnership) -> str:
        return admin_kpis.partnership_headline_html(obj)


class KpiTargetInline(ScopedTabularInline):
    model = KpiTarget
    fields = ("metric", "value")


class CostInline(ScopedTabularInline):
    model = Cost
    fields = ("category", "amount", "incurred_on", "partnership", "note")
    raw_id_fields = ("partnership",)


@admin.register(Campaign)
class CampaignAdmin(AuditsChangesMixin, RecomputesKpisMixin, ScopedModelAdmin):
    audit_prefix = "campaign"
    organization_attr = "brand.organization"
    campaign_path = "pk"
    list_display = ("name", "brand", "stage", "status", "start_date", "end_date", "budget",
                    "currency")
    list_filter = ("stage", "status", "brand__organization", "brand")
    search_fields = ("name", "slug", "brand__name", "objective")
    list_select_related = ("brand",)
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("brand",)
    readonly_fields = ("created_at", "updated_at", "kpi_summary")
    inlines = [PartnershipInline, KpiTargetInline, CostInline]
    actions = [admin_kpis.recompute_kpis_action]

    @admin.display(description="KPIs (as last computed)")
    def kpi_summary(self, obj: Campaign) -> str:
        return admin_kpis.kpi_summary_html(obj)


@admin.register(KpiTarget)
class KpiTargetAdmin(RecomputesKpisMixin, ScopedModelAdmin):
    list_display = ("campaign", "metric", "value")
    list_filter = ("metric",)
    search_fields = ("campaign__name",)
    list_select_related = ("campaign",)
    autocomplete_fields = ("campaign",)


# --- Partnerships and what they hand out ----------------------------------------------------
class PromoCodeAdminForm(forms.ModelForm):
    class Meta:
        model = PromoCode
        fields = ("partnership", "code", "active_from", "active_until")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        partnership = cleaned.get("partnership") or getattr(self.instance, "partnership", None)
        text = (cleaned.get("code") or "").strip()
        if partnership is None or not text:
            return cleaned
        candidate = PromoCode(
            pk=self.instance.pk, partnership=partnership, code=text,
            active_from=cleaned.get("active_from"), active_until=cleaned.get("active_until"),
        )
        # The service's own rule: unique per brand, any case, among overlapping periods.
        _ensure_code_free(candidate)
        cleaned["code"] = text
        return cleaned


class PromoCodeInline(ScopedTabularInline):
    model = PromoCode
    form = PromoCodeAdminForm
    fields = ("code", "active_from", "active_until")


class TrackingLinkInline(ScopedTabularInline):
    model = TrackingLink
    fields = ("kind", "slug", "destination_url", "utm_source", "utm_medium", "utm_campaign",
              "utm_content", "is_active")
    readonly_fields = ("slug",)


class PostInline(ScopedTabularInline):
    model = Post
    fields = ("platform", "post_type", "social_account", "url", "published_at")
    raw_id_fields = ("social_account",)


@admin.register(Partnership)
class PartnershipAdmin(AuditsChangesMixin, RecomputesKpisMixin, ScopedModelAdmin):
    audit_prefix = "compensation"
    audited_fields = ("fee", "product_value", "commission_rate")
    list_display = ("influencer", "campaign", "status", "fee", "product_value", "commission_rate",
                    "updated_at")
    list_filter = ("status", "campaign__brand__organization", "campaign")
    search_fields = ("influencer__name", "campaign__name")
    list_select_related = ("influencer", "campaign")
    autocomplete_fields = ("campaign", "influencer")
    readonly_fields = ("created_at", "updated_at")
    inlines = [PromoCodeInline, TrackingLinkInline, PostInline]


@admin.register(Post)
class PostAdmin(RecomputesKpisMixin, ScopedModelAdmin):
    campaign_path = "partnership__campaign_id"
    list_display = ("__str__", "partnership", "platform", "post_type", "published_at", "url")
    list_filter = ("platform", "post_type", "partnership__campaign")
    search_fields = ("external_id", "url", "caption", "partnership__influencer__name")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    autocomplete_fields = ("partnership",)
    raw_id_fields = ("social_account",)
    date_hierarchy = "published_at"
    readonly_fields = ("created_at",)


@admin.register(PromoCode)
class PromoCodeAdmin(RecomputesKpisMixin, ScopedModelAdmin):
    form = PromoCodeAdminForm
    campaign_path = "partnership__campaign_id"
    list_display = ("code", "partnership", "active_from", "active_until", "created_at")
    list_filter = ("partnership__campaign__brand",)
    search_fields = ("code", "partnership__influencer__name")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    autocomplete_fields = ("partnership",)


@admin.register(TrackingLink)
class TrackingLinkAdmin(RecomputesKpisMixin, ScopedModelAdmin):
    campaign_path = "partnership__campaign_id"
    list_display = ("slug", "kind", "partnership", "utm_campaign", "utm_content", "is_active",
                    "created_at")
    list_filter = ("kind", "is_active", "partnership__campaign")
    search_fields = ("slug", "destination_url", "utm_campaign", "utm_content")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    autocomplete_fields = ("partnership",)
    readonly_fields = ("short_url", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The slug is printed on creators' posts: it never changes once handed out.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "slug") if obj is not None else fields

    @admin.display(description="Short URL")
    def short_url(self, obj: TrackingLink) -> str:
        return f"{settings.FUNNELBOARD_BASE_URL}/r/{obj.slug}" if obj.pk else ""


@admin.register(Cost)
class CostAdmin(AuditsChangesMixin, RecomputesKpisMixin, ScopedModelAdmin):
    audit_prefix = "cost"
    audited_fields = ("amount", "category")
    list_display = ("campaign", "category", "amount", "incurred_on", "partnership", "note")
    list_filter = ("category", "campaign__brand__organization", "campaign")
    search_fields = ("note", "campaign__name")
    list_select_related = ("campaign", "partnership__influencer")
    autocomplete_fields = ("campaign",)
    raw_id_fields = ("partnership",)
    date_hierarchy = "incurred_on"
    readonly_fields = ("created_at",)
