"""Admin for brands, campaigns and what a campaign hands out, scoped to the staff user's orgs.

Every save and delete, inline rows included, goes through ``campaigns.services`` (KPI targets:
``campaigns.targets``) with the member's access in the object's organization: the services check the role, keep related
records in the organization, audit compensation and costs and queue the KPI recomputes.
Compensation and costs are shown to admins and owners only, as on the pages. The inline rows
and forms these admins embed are in ``campaigns.admin_inlines``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_bases import ScopedModelAdmin
from accounts.selectors import Access
from campaigns import services, targets
from campaigns.admin_inlines import (
    COMPENSATION_ROLES,
    BrandAccountInline,
    CostInline,
    KpiTargetInline,
    PartnershipInline,
    PostInline,
    PromoCodeAdminForm,
    PromoCodeInline,
    TrackingLinkInline,
)
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
from metrics import admin_kpis
from metrics.scheduling import schedule_kpi_recompute


# --- Brands ---------------------------------------------------------------------------------
class BrandAdminForm(forms.ModelForm):
    # Declared (the form is built at import, before the admin's overrides apply), so it names
    # the admin's widget and the https default itself.
    website = Brand._meta.get_field("website").formfield(
        assume_scheme="https", widget=AdminURLFieldWidget
    )
    shopify_webhook_secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Write-only. Leave empty to keep the current secret."),
    )
    clear_shopify_webhook_secret = forms.BooleanField(
        required=False, label=gettext_lazy("Remove the Shopify secret")
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


@admin.register(Brand)
class BrandAdmin(ScopedModelAdmin):
    form = BrandAdminForm
    list_display = ("name", "organization", "currency", "website", "secret_status", "created_at")
    list_filter = ("organization", "currency")
    search_fields = ("name", "website", "key")
    list_select_related = ("organization",)
    readonly_fields = ("key", "secret_status", "created_at")
    fields = ("organization", "name", "website", "currency", "key", "secret_status",
              "shopify_webhook_secret", "clear_shopify_webhook_secret", "created_at")
    inlines = [BrandAccountInline]

    @admin.display(description=gettext_lazy("Shopify secret"))
    def secret_status(self, obj: Brand) -> str:
        # Masked: the secret signs webhooks, so it is never shown back.
        return _("•••••• set") if obj.shopify_webhook_secret else _("not set")

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.brand_create(access=access, **fields)

    def service_update(self, access: Access, obj: Brand, changes: dict[str, Any]) -> Model:
        return services.brand_update(access=access, brand=obj, **changes)

    def service_delete(self, access: Access, obj: Brand) -> bool:
        services.brand_delete(access=access, brand=obj)
        return True


@admin.register(BrandAccount)
class BrandAccountAdmin(ScopedModelAdmin):
    list_display = ("handle", "platform", "brand", "created_at")
    list_filter = ("platform", "brand__organization")
    search_fields = ("handle", "brand__name")
    list_select_related = ("brand",)
    autocomplete_fields = ("brand",)
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.brand_account_create(access=access, **fields)

    def service_update(self, access: Access, obj: BrandAccount, changes: dict[str, Any]) -> Model:
        return services.brand_account_update(access=access, account=obj, **changes)

    def service_delete(self, access: Access, obj: BrandAccount) -> bool:
        services.brand_account_delete(access=access, account=obj)
        return True


# --- Campaigns ------------------------------------------------------------------------------
@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
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
    actions = ["recompute_kpis_action"]

    @admin.action(description=gettext_lazy("Recompute KPIs"), permissions=["change"])
    def recompute_kpis_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        """Like the report page's button, it needs write access to each selected campaign (the
        list also shows those of organizations where the user only views): all or nothing."""
        campaigns = list(queryset)
        if not all(self.has_change_permission(request, c) for c in campaigns):
            raise PermissionDenied(_("Recomputing needs write access to every selected campaign."))
        ids = schedule_kpi_recompute(c.pk for c in campaigns)
        self.message_user(request, _("Recomputing the KPIs of %(count)s campaign(s).")
                          % {"count": len(ids)}, messages.SUCCESS)

    @admin.display(description=gettext_lazy("KPIs (as last computed)"))
    def kpi_summary(self, obj: Campaign) -> str:
        return admin_kpis.kpi_summary_html(obj)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.campaign_create(access=access, **fields)

    def service_update(self, access: Access, obj: Campaign, changes: dict[str, Any]) -> Model:
        return services.campaign_update(access=access, campaign=obj, **changes)

    def service_delete(self, access: Access, obj: Campaign) -> bool:
        services.campaign_delete(access=access, campaign=obj)
        return True


@admin.register(KpiTarget)
class KpiTargetAdmin(ScopedModelAdmin):
    list_display = ("campaign", "metric", "value")
    list_filter = ("metric",)
    search_fields = ("campaign__name",)
    list_select_related = ("campaign",)
    autocomplete_fields = ("campaign",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return targets.kpi_target_set(access=access, **fields)

    def service_update(self, access: Access, obj: KpiTarget, changes: dict[str, Any]) -> Model:
        return targets.kpi_target_update(access=access, target=obj, **changes)

    def service_delete(self, access: Access, obj: KpiTarget) -> bool:
        targets.kpi_target_delete(access=access, target=obj)
        return True


# --- Partnerships and what they hand out ----------------------------------------------------
@admin.register(Partnership)
class PartnershipAdmin(ScopedModelAdmin):
    list_display = ("influencer", "campaign", "status", "fee", "product_value", "commission_rate",
                    "updated_at")
    list_filter = ("status", "campaign__brand__organization", "campaign")
    search_fields = ("influencer__name", "campaign__name")
    list_select_related = ("influencer", "campaign")
    autocomplete_fields = ("campaign", "influencer")
    readonly_fields = ("created_at", "updated_at")
    inlines = [PromoCodeInline, TrackingLinkInline, PostInline]
    field_roles = COMPENSATION_ROLES

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.partnership_create(access=access, **fields)

    def service_update(self, access: Access, obj: Partnership, changes: dict[str, Any]) -> Model:
        return services.partnership_update(access=access, partnership=obj, **changes)

    def service_delete(self, access: Access, obj: Partnership) -> bool:
        services.partnership_delete(access=access, partnership=obj)
        return True


@admin.register(Post)
class PostAdmin(ScopedModelAdmin):
    list_display = ("__str__", "partnership", "platform", "post_type", "published_at", "url")
    list_filter = ("platform", "post_type", "partnership__campaign")
    search_fields = ("external_id", "url", "caption", "partnership__influencer__name")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    autocomplete_fields = ("partnership",)
    raw_id_fields = ("social_account",)
    date_hierarchy = "published_at"
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.post_create(access=access, **fields)

    def service_update(self, access: Access, obj: Post, changes: dict[str, Any]) -> Model:
        return services.post_update(access=access, post=obj, **changes)

    def service_delete(self, access: Access, obj: Post) -> bool:
        services.post_delete(access=access, post=obj)
        return True


@admin.register(PromoCode)
class PromoCodeAdmin(ScopedModelAdmin):
    form = PromoCodeAdminForm
    list_display = ("code", "partnership", "active_from", "active_until", "created_at")
    list_filter = ("partnership__campaign__brand",)
    search_fields = ("code", "partnership__influencer__name")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    autocomplete_fields = ("partnership",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.promo_code_create(access=access, **fields)

    def service_update(self, access: Access, obj: PromoCode, changes: dict[str, Any]) -> Model:
        return services.promo_code_update(access=access, promo_code=obj, **changes)

    def service_delete(self, access: Access, obj: PromoCode) -> bool:
        services.promo_code_delete(access=access, code=obj)
        return True


@admin.register(TrackingLink)
class TrackingLinkAdmin(ScopedModelAdmin):
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

    @admin.display(description=gettext_lazy("Short URL"))
    def short_url(self, obj: TrackingLink) -> str:
        return f"{settings.FUNNELBOARD_BASE_URL}/r/{obj.slug}" if obj.pk else ""

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.link_create(access=access, **fields)

    def service_update(self, access: Access, obj: TrackingLink, changes: dict[str, Any]) -> Model:
        return services.link_update(access=access, link=obj, **changes)

    def service_delete(self, access: Access, obj: TrackingLink) -> bool:
        services.link_delete(access=access, link=obj)
        return True


@admin.register(Cost)
class CostAdmin(ScopedModelAdmin):
    list_display = ("campaign", "category", "amount", "incurred_on", "partnership", "note")
    list_filter = ("category", "campaign__brand__organization", "campaign")
    search_fields = ("note", "campaign__name")
    list_select_related = ("campaign", "partnership__influencer")
    autocomplete_fields = ("campaign",)
    raw_id_fields = ("partnership",)
    date_hierarchy = "incurred_on"
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.cost_create(access=access, **fields)

    def service_update(self, access: Access, obj: Cost, changes: dict[str, Any]) -> Model:
        return services.cost_update(access=access, cost=obj, **changes)

    def service_delete(self, access: Access, obj: Cost) -> bool:
        services.cost_delete(access=access, cost=obj)
        return True
