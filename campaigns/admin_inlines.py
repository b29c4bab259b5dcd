"""The inline rows and forms the campaign admins embed: a brand's accounts; a campaign's
partnerships, KPI targets and costs; a partnership's promo codes, tracking links and posts.
Each row is written by its ``campaigns.services`` function (KPI targets: ``campaigns.targets``),
with the member's access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy

from accounts.admin_bases import ScopedTabularInline
from accounts.selectors import Access
from campaigns import services, targets
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
from campaigns.selectors import COMPENSATION_FIELDS, compensation_role
from metrics import admin_kpis

# Fee, product value and commission: shown and set from the pages' compensation role up (costs
# need that role by ``Cost.view_role`` already, so the checkpoint hides their rows).
COMPENSATION_ROLES = dict.fromkeys(COMPENSATION_FIELDS, compensation_role())


# --- A brand's ------------------------------------------------------------------------------
class BrandAccountInline(ScopedTabularInline):
    model = BrandAccount
    fields = ("platform", "handle", "created_at")
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, parent: Brand, fields: dict[str, Any]) -> Model:
        return services.brand_account_create(access=access, brand=parent, **fields)

    def service_update(self, access: Access, obj: BrandAccount, changes: dict[str, Any]) -> Model:
        return services.brand_account_update(access=access, account=obj, **changes)

    def service_delete(self, access: Access, obj: BrandAccount) -> None:
        services.brand_account_delete(access=access, account=obj)


# --- A campaign's ---------------------------------------------------------------------------
class PartnershipInline(ScopedTabularInline):
    model = Partnership
    fields = ("influencer", "status", "fee", "product_value", "commission_rate", "headline")
    readonly_fields = ("headline",)
    autocomplete_fields = ("influencer",)
    field_roles = COMPENSATION_ROLES

    @admin.display(description=gettext_lazy("Headline KPIs"))
    def headline(self, obj: Partnership) -> str:
        return admin_kpis.partnership_headline_html(obj)

    def service_create(self, access: Access, parent: Campaign, fields: dict[str, Any]) -> Model:
        influencer = fields.pop("influencer")
        return services.partnership_create(
            access=access, campaign=parent, influencer=influencer, **fields
        )

    def service_update(self, access: Access, obj: Partnership, changes: dict[str, Any]) -> Model:
        return services.partnership_update(access=access, partnership=obj, **changes)

    def service_delete(self, access: Access, obj: Partnership) -> None:
        services.partnership_delete(access=access, partnership=obj)


class KpiTargetInline(ScopedTabularInline):
    model = KpiTarget
    fields = ("metric", "value")

    def service_create(self, access: Access, parent: Campaign, fields: dict[str, Any]) -> Model:
        return targets.kpi_target_set(access=access, campaign=parent, **fields)

    def service_update(self, access: Access, obj: KpiTarget, changes: dict[str, Any]) -> Model:
        return targets.kpi_target_update(access=access, target=obj, **changes)

    def service_delete(self, access: Access, obj: KpiTarget) -> None:
        targets.kpi_target_delete(access=access, target=obj)


class CostInline(ScopedTabularInline):
    model = Cost
    fields = ("category", "amount", "incurred_on", "partnership", "note")
    raw_id_fields = ("partnership",)

    def service_create(self, access: Access, parent: Campaign, fields: dict[str, Any]) -> Model:
        return services.cost_create(access=access, campaign=parent, **fields)

    def service_update(self, access: Access, obj: Cost, changes: dict[str, Any]) -> Model:
        return services.cost_update(access=access, cost=obj, **changes)

    def service_delete(self, access: Access, obj: Cost) -> None:
        services.cost_delete(access=access, cost=obj)


# --- A partnership's ------------------------------------------------------------------------
class PromoCodeAdminForm(forms.ModelForm):
    class Meta:
        model = PromoCode
        fields = ("partnership", "code", "active_from", "active_until")

    # No clean() of its own: the service checks the code (one brand, overlapping periods)
    # under the brand's lock, and its refusal is shown on the ``code`` field.


class PromoCodeInline(ScopedTabularInline):
    model = PromoCode
    form = PromoCodeAdminForm
    fields = ("code", "active_from", "active_until")

    def service_create(self, access: Access, parent: Partnership, fields: dict[str, Any]
                       ) -> Model:
        return services.promo_code_create(access=access, partnership=parent, **fields)

    def service_update(self, access: Access, obj: PromoCode, changes: dict[str, Any]) -> Model:
        return services.promo_code_update(access=access, promo_code=obj, **changes)

    def service_delete(self, access: Access, obj: PromoCode) -> None:
        services.promo_code_delete(access=access, code=obj)


class TrackingLinkInline(ScopedTabularInline):
    model = TrackingLink
    fields = ("kind", "slug", "destination_url", "utm_source", "utm_medium", "utm_campaign",
              "utm_content", "is_active")
    readonly_fields = ("slug",)

    def service_create(self, access: Access, parent: Partnership, fields: dict[str, Any]
                       ) -> Model:
        return services.link_create(access=access, partnership=parent, **fields)

    def service_update(self, access: Access, obj: TrackingLink, changes: dict[str, Any]) -> Model:
        return services.link_update(access=access, link=obj, **changes)

    def service_delete(self, access: Access, obj: TrackingLink) -> None:
        services.link_delete(access=access, link=obj)


class PostInline(ScopedTabularInline):
    model = Post
    fields = ("platform", "post_type", "social_account", "url", "published_at")
    raw_id_fields = ("social_account",)

    def service_create(self, access: Access, parent: Partnership, fields: dict[str, Any]
                       ) -> Model:
        return services.post_create(access=access, partnership=parent, **fields)

    def service_update(self, access: Access, obj: Post, changes: dict[str, Any]) -> Model:
        return services.post_update(access=access, post=obj, **changes)

    def service_delete(self, access: Access, obj: Post) -> None:
        services.post_delete(access=access, post=obj)
