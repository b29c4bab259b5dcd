"""`/api/v1/` brands, brand accounts, campaigns and what a campaign hands out: partnerships,
posts, promo codes, tracking links and costs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import BaseRouter

from accounts.api import IdFilter, OrgModelSerializer, OrgViewSet, Services, UtcDateTimeFilter
from accounts.api_auth import access_of
from campaigns import services
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    CampaignStatus,
    Cost,
    CostCategory,
    FunnelStage,
    LinkKind,
    Partnership,
    PartnershipStatus,
    Post,
    PostType,
    PromoCode,
    TrackingLink,
)
from campaigns.selectors import COMPENSATION_FIELDS, compensation_role, sees_compensation
from config.iso import CURRENCY_ERROR
from influencers.models import Platform
from metrics.api.kpis import CampaignKpiActions

COMPENSATION_HELP = (
    f"Compensation: only in answers to the {compensation_role()} role and above (omitted for "
    "managers and viewers); setting or changing it needs that role too."
)


# ISO 4217 choices come from the model; say what a valid code is when one is refused.
CURRENCY_KWARGS: dict[str, Any] = {"error_messages": {"invalid_choice": CURRENCY_ERROR}}


# --- Brands ---------------------------------------------------------------------------------
class BrandSerializer(OrgModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name", "website", "currency", "key", "shopify_webhook_secret", "created_at"]
        read_only_fields = ["key", "created_at"]
        extra_kwargs = {
            "currency": CURRENCY_KWARGS,
            "shopify_webhook_secret": {
                "write_only": True,
                "help_text": "Signs Shopify webhooks (HMAC-SHA256). Never shown again.",
            },
            "key": {"help_text": "Public id used by /hooks/shopify/<key> and the /t/<key> pixel."},
        }


class BrandViewSet(OrgViewSet):
    model = Brand
    serializer_class = BrandSerializer
    services = Services(
        create=services.brand_create, update=services.brand_update,
        delete=services.brand_delete, instance="brand",
    )
    filterset_fields = ["currency"]
    search_fields = ["name", "website"]
    ordering_fields = ["name", "created_at"]


class BrandAccountSerializer(OrgModelSerializer):
    class Meta:
        model = BrandAccount
        fields = ["id", "brand", "platform", "handle", "created_at"]
        read_only_fields = ["created_at"]


class BrandAccountFilter(django_filters.FilterSet):
    brand = IdFilter(field_name="brand")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)

    class Meta:
        model = BrandAccount
        fields = ["brand", "platform"]


class BrandAccountViewSet(OrgViewSet):
    model = BrandAccount
    serializer_class = BrandAccountSerializer
    services = Services(
        create=services.brand_account_create, update=services.brand_account_update,
        delete=services.brand_account_delete, instance="account",
    )
    filterset_class = BrandAccountFilter
    search_fields = ["handle"]
    ordering_fields = ["platform", "handle", "created_at"]


# --- Campaigns ------------------------------------------------------------------------------
class CampaignSerializer(OrgModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id", "brand", "name", "slug", "stage", "objective", "start_date", "end_date",
            "budget", "currency", "status", "attribution_window_days", "created_at", "updated_at",
        ]
        read_only_fields = ["slug", "created_at", "updated_at"]
        extra_kwargs = {"currency": CURRENCY_KWARGS}


class CampaignFilter(django_filters.FilterSet):
    brand = IdFilter(field_name="brand")
    stage = django_filters.ChoiceFilter(choices=FunnelStage.choices)
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices)
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    ends_after = django_filters.DateFilter(field_name="end_date", lookup_expr="gte")
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Campaign
        fields = ["brand", "stage", "status"]


class CampaignViewSet(CampaignKpiActions, OrgViewSet):
    model = Campaign
    serializer_class = CampaignSerializer
    services = Services(
        create=services.campaign_create, update=services.campaign_update,
        delete=services.campaign_delete, instance="campaign",
    )
    filterset_class = CampaignFilter
    search_fields = ["name", "objective"]
    ordering_fields = ["name", "start_date", "end_date", "budget", "created_at", "status"]


# --- Partnerships ---------------------------------------------------------------------------
class PartnershipSerializer(OrgModelSerializer):
    """Compensation fields are accepted from anyone (the service answers 403 below the role)
    but shown only to the compensation role: one serializer, its output trimmed per reader."""

    commission_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False,
        coerce_to_string=False,
        help_text=f"Percent of attributed net revenue. {COMPENSATION_HELP}",
    )

    class Meta:
        model = Partnership
        fields = [
            "id", "campaign", "influencer", "status", "fee", "product_value", "commission_rate",
            "notes", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "fee": {"help_text": f"The creator's fee. {COMPENSATION_HELP}"},
            "product_value": {"help_text": f"Value of the product sent. {COMPENSATION_HELP}"},
        }

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        access = access_of(request) if request is not None else None
        if access is None or not sees_compensation(access):
            for name in COMPENSATION_FIELDS:
                data.pop(name, None)
        return data


class PartnershipFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="campaign")
    influencer = IdFilter(field_name="influencer")
    brand = IdFilter(field_name="campaign__brand")
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices)

    class Meta:
        model = Partnership
        fields = ["campaign", "influencer", "brand", "status"]


class PartnershipViewSet(OrgViewSet):
    model = Partnership
    serializer_class = PartnershipSerializer
    services = Services(
        create=services.partnership_create, update=services.partnership_update,
        delete=services.partnership_delete, instance="partnership",
    )
    filterset_class = PartnershipFilter
    search_fields = ["influencer__name", "campaign__name", "notes"]

    @property
    def ordering_fields(self) -> Sequence[str]:
        """Sorting by fee would tell the order of the fees: only for the compensation role
        (an unknown ordering is ignored, so a lower role gets the default order)."""
        base = ["created_at", "updated_at", "status"]
        request = getattr(self, "request", None)
        access = access_of(request) if request is not None else None
        if access is not None and sees_compensation(access):
            return [*base, "fee"]
        return base


# --- Posts ----------------------------------------------------------------------------------
class PostSerializer(OrgModelSerializer):
    class Meta:
        model = Post
        fields = [
            "id", "partnership", "social_account", "platform", "post_type", "url", "external_id",
            "published_at", "caption", "paid_partnership", "created_at",
        ]
        read_only_fields = ["created_at"]


class PostFilter(django_filters.FilterSet):
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    brand = IdFilter(field_name="partnership__campaign__brand")
    social_account = IdFilter(field_name="social_account")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    post_type = django_filters.ChoiceFilter(choices=PostType.choices)
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(
        field_name="published_at", lookup_expr="lte"
    )

    class Meta:
        model = Post
        fields = ["partnership", "campaign", "brand", "social_account", "platform", "post_type"]


class PostViewSet(OrgViewSet):
    model = Post
    serializer_class = PostSerializer
    services = Services(
        create=services.post_create, update=services.post_update,
        delete=services.post_delete, instance="post",
    )
    filterset_class = PostFilter
    search_fields = ["caption", "external_id", "url"]
    ordering_fields = ["published_at", "created_at"]


# --- Promo codes ----------------------------------------------------------------------------
class PromoCodeSerializer(OrgModelSerializer):
    class Meta:
        model = PromoCode
        fields = ["id", "partnership", "code", "active_from", "active_until", "created_at"]
        read_only_fields = ["created_at"]


class PromoCodeFilter(django_filters.FilterSet):
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    brand = IdFilter(field_name="partnership__campaign__brand")
    code = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = PromoCode
        fields = ["partnership", "campaign", "brand", "code"]


class PromoCodeViewSet(OrgViewSet):
    model = PromoCode
    serializer_class = PromoCodeSerializer
    services = Services(
        create=services.promo_code_create, update=services.promo_code_update,
        delete=services.promo_code_delete, instance="promo_code", delete_instance="code",
    )
    filterset_class = PromoCodeFilter
    search_fields = ["code"]
    ordering_fields = ["code", "active_from", "active_until", "created_at"]


# --- Tracking links -------------------------------------------------------------------------
class TrackingLinkSerializer(OrgModelSerializer):
    short_url = serializers.SerializerMethodField(
        help_text="The link to share: FUNNELBOARD_BASE_URL/r/<slug>."
    )

    class Meta:
        model = TrackingLink
        fields = [
            "id", "partnership", "kind", "destination_url", "utm_source", "utm_medium",
            "utm_campaign", "utm_content", "utm_term", "is_active", "slug", "short_url",
            "created_at",
        ]
        read_only_fields = ["slug", "created_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_short_url(self, link: TrackingLink) -> str:
        return f"{settings.FUNNELBOARD_BASE_URL}/r/{link.slug}"


class TrackingLinkFilter(django_filters.FilterSet):
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    brand = IdFilter(field_name="partnership__campaign__brand")
    kind = django_filters.ChoiceFilter(choices=LinkKind.choices)

    class Meta:
        model = TrackingLink
        fields = ["partnership", "campaign", "brand", "kind", "is_active"]


class TrackingLinkViewSet(OrgViewSet):
    """DELETE of a link that was already clicked deactivates it (``is_active`` false) so its
    clicks stay countable; an unused link is deleted."""

    model = TrackingLink
    serializer_class = TrackingLinkSerializer
    services = Services(
        create=services.link_create, update=services.link_update,
        delete=services.link_delete, instance="link",
    )
    filterset_class = TrackingLinkFilter
    search_fields = ["slug", "destination_url", "utm_campaign", "utm_content"]
    ordering_fields = ["created_at", "slug"]


# --- Costs ----------------------------------------------------------------------------------
class CostSerializer(OrgModelSerializer):
    class Meta:
        model = Cost
        fields = [
            "id", "campaign", "partnership", "category", "amount", "incurred_on", "note",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class CostFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="campaign")
    partnership = IdFilter(field_name="partnership")
    brand = IdFilter(field_name="campaign__brand")
    category = django_filters.ChoiceFilter(choices=CostCategory.choices)
    incurred_after = django_filters.DateFilter(field_name="incurred_on", lookup_expr="gte")
    incurred_before = django_filters.DateFilter(field_name="incurred_on", lookup_expr="lte")

    class Meta:
        model = Cost
        fields = ["campaign", "partnership", "brand", "category"]


COST_ACCESS = (
    f"Costs are for the {compensation_role()} role and above: for managers and viewers the "
    "list is empty and every id answers 404."
)


@extend_schema_view(
    list=extend_schema(description=COST_ACCESS),
    retrieve=extend_schema(description=COST_ACCESS),
    create=extend_schema(description=COST_ACCESS),
    update=extend_schema(description=COST_ACCESS),
    partial_update=extend_schema(description=COST_ACCESS),
    destroy=extend_schema(description=COST_ACCESS),
)
class CostViewSet(OrgViewSet):
    model = Cost
    serializer_class = CostSerializer
    services = Services(
        create=services.cost_create, update=services.cost_update,
        delete=services.cost_delete, instance="cost",
    )
    filterset_class = CostFilter
    search_fields = ["note"]
    ordering_fields = ["incurred_on", "amount", "created_at"]


def register(router: BaseRouter) -> None:
    router.register("brands", BrandViewSet, basename="brand")
    router.register("brand-accounts", BrandAccountViewSet, basename="brand-account")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("posts", PostViewSet, basename="post")
    router.register("promo-codes", PromoCodeViewSet, basename="promo-code")
    router.register("links", TrackingLinkViewSet, basename="link")
    router.register("costs", CostViewSet, basename="cost")

