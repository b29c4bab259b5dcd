"""`conversions/` and `visits/`: bulk ingestion (docs/api.md), lists, manual assignment and
re-attribution.

Items go through the same lean validator as the other bulk paths (metrics/api/bulk.py);
related ids (``brand``, ``partnership``) are resolved once per request, scoped to the
organization, so another organization's id is "does not exist" (400).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import MAX_ID, IdFilter, UtcDateTimeFilter, service_errors
from accounts.selectors import Access, get_object_for, require_role, required_role
from campaigns.links import destination_error
from campaigns.models import Brand, Partnership
from metrics.api.bulk import (
    BulkErrorSerializer,
    BulkResultSerializer,
    Field,
    Invalid,
    ItemSpec,
    check_aware_datetime,
    check_id,
    check_text,
    domain_rules,
)
from metrics.api.ingestion import BulkIngestViewSet
from metrics.models import Conversion, EventKind, Source, Visit
from metrics.selectors.funnel_aggregates import refunded_amount
from metrics.services.conversions import (
    conversion_assign,
    conversions_ingest,
    conversions_reattribute,
)
from metrics.services.visits import visits_ingest
from metrics.validation import conversion_errors, visit_errors


# --- Item checks ------------------------------------------------------------------------------
def check_amount(value: Any) -> Decimal:
    """A number; its range and precision are the conversion rules' (metrics.validation)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(_("A valid number is required."))
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(_("A valid number is required.")) from None
    if not amount.is_finite():
        raise Invalid(_("A valid number is required."))
    return amount


def check_currency(value: Any) -> str:
    if not isinstance(value, str) or len(value.strip()) != 3 or not value.strip().isalpha():
        raise Invalid(_("Use a three-letter ISO 4217 code, e.g. USD."))
    return value.strip().upper()


def check_kind(value: Any) -> str:
    if value not in EventKind.values:
        raise Invalid(_('"%(value)s" is not a valid choice.') % {"value": value})
    return str(value)


def check_optional_text(max_length: int) -> Any:
    strict = check_text(max_length)

    def check(value: Any) -> str:
        if value is None or value == "":
            return ""
        return strict(value).strip()

    return check


def check_url(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise Invalid(_("Not a valid string."))
    error = destination_error(value.strip())
    if error:
        raise Invalid(error)
    return value.strip()


def check_optional_id(value: Any) -> int | None:
    return None if value is None else check_id(value)


def check_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(_("Must be a valid boolean."))
    return value


CONVERSIONS = ItemSpec(
    fields={
        "brand": Field(check_id, required=True, related=Brand),
        "external_id": Field(check_text(100), required=True),
        "kind": Field(check_kind),
        "amount": Field(check_amount),
        "currency": Field(check_currency),
        "occurred_at": Field(check_aware_datetime, required=True),
        "promo_code": Field(check_optional_text(64)),
        "click_id": Field(check_optional_text(32)),
        "landing_url": Field(check_url),
        "partnership": Field(check_optional_id, related=Partnership),
        "is_cancelled": Field(check_bool),
    },
    cross_check=domain_rules(conversion_errors),
)
VISITS = ItemSpec(
    fields={
        "brand": Field(check_id, required=True, related=Brand),
        "occurred_at": Field(check_aware_datetime, required=True),
        "landing_url": Field(check_url),
        "referrer": Field(check_url),
        "visitor_id": Field(check_optional_text(100)),
        "click_id": Field(check_optional_text(32)),
        "external_id": Field(check_optional_text(100)),
    },
    cross_check=domain_rules(visit_errors),
)


# --- Serializers --------------------------------------------------------------------------------
class ConversionItemSerializer(serializers.Serializer):
    brand = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    external_id = serializers.CharField(
        max_length=100, help_text="Order id; the upsert key among the API's own conversions."
    )
    kind = serializers.ChoiceField(choices=EventKind.choices, default=EventKind.SALE)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), default=Decimal("0"),
        help_text="Gross amount (refunds are recorded separately).",
    )
    currency = serializers.CharField(
        max_length=3, required=False, help_text="ISO 4217; default the brand's currency."
    )
    occurred_at = serializers.DateTimeField(help_text="ISO 8601 with an offset.")
    promo_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    click_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    landing_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    partnership = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="Credit this partnership by hand (attribution 'manual').",
    )
    is_cancelled = serializers.BooleanField(required=False, default=False)


class VisitItemSerializer(serializers.Serializer):
    brand = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    occurred_at = serializers.DateTimeField()
    landing_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    referrer = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    visitor_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    click_id = serializers.CharField(max_length=32, required=False, allow_blank=True)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Upsert key when given."
    )


class ConversionSerializer(serializers.ModelSerializer):
    matched_click: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="click_id", read_only=True
    )
    refunded = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    campaign = serializers.IntegerField(
        source="partnership.campaign_id", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Conversion
        fields = [
            "id", "brand", "external_id", "kind", "amount", "refunded", "currency",
            "occurred_at", "promo_code", "click_id", "landing_url", "utm_campaign",
            "utm_content", "partnership", "campaign", "attribution", "matched_click",
            "is_cancelled", "source", "created_at", "updated_at",
        ]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = [
            "id", "brand", "external_id", "occurred_at", "landing_url", "referrer",
            "visitor_id", "click_id", "utm_campaign", "utm_content", "partnership",
            "attribution", "source", "created_at",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    partnership = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ReattributeSerializer(serializers.Serializer):
    brand = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ReattributeResultSerializer(serializers.Serializer):
    attributed = serializers.IntegerField(help_text="Conversions that found a partnership.")


# --- Filters --------------------------------------------------------------------------------------
class ConversionFilter(django_filters.FilterSet):
    brand = IdFilter(field_name="brand")
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    attribution = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    occurred_after = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = Conversion
        fields = ["brand", "partnership", "campaign", "attribution", "kind"]


class VisitFilter(django_filters.FilterSet):
    brand = IdFilter(field_name="brand")
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    attribution = django_filters.CharFilter()

    class Meta:
        model = Visit
        fields = ["brand", "partnership", "campaign", "attribution"]


# --- Views ----------------------------------------------------------------------------------------
def _bulk_400_examples(field: str, message: str) -> OpenApiResponse:
    return OpenApiResponse(
        BulkErrorSerializer,
        description="Nothing stored: the first bad item's index and its fields.",
        examples=[
            OpenApiExample("Bad item", value={"index": 2, "errors": {field: [message]}},
                           response_only=True),
            OpenApiExample(
                "Not a list",
                value={"index": None, "errors": {"non_field_errors": ["Expected a JSON list of "
                                                                      "items."]}},
                response_only=True,
            ),
        ],
    )


class _TrackingIngestViewSet(BulkIngestViewSet):
    """The bulk create of BulkIngestViewSet, which answers the rules' per-item errors in the
    bulk error shape."""


class ConversionViewSet(_TrackingIngestViewSet):
    """Orders and funnel events; idempotent on ``brand`` + ``external_id`` among the API's own
    records (an id that Shopify, the pixel or a CSV import used is another record). Attributed
    on arrival (promo code, click id, UTM); ``partnership`` makes it ``manual``."""

    model = Conversion
    spec = CONVERSIONS
    ingest = staticmethod(partial(conversions_ingest, source=Source.API))
    serializer_class = ConversionSerializer
    filterset_class = ConversionFilter
    ordering_fields = ["occurred_at", "amount", "created_at"]
    checkpoint_actions = {"assign": "write"}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("partnership", "matched_click")
            .annotate(refunded=refunded_amount())
            .order_by("-occurred_at", "-pk")
        )

    @extend_schema(
        summary="Upsert up to 10,000 conversions (all or nothing)",
        request=ConversionItemSerializer(many=True),
        responses={200: BulkResultSerializer,
                   400: _bulk_400_examples("partnership", "This partnership is not the brand's.")},
        examples=[
            OpenApiExample(
                "Orders",
                value=[
                    {"brand": 3, "external_id": "1042", "kind": "sale", "amount": "106.20",
                     "currency": "USD", "occurred_at": "2026-10-14T22:22:05+00:00",
                     "promo_code": "MIA10"},
                    {"brand": 3, "external_id": "1043", "kind": "sale", "amount": "59.00",
                     "currency": "USD", "occurred_at": "2026-10-15T09:10:00+00:00",
                     "landing_url": "https://shop.example/?utm_campaign=fall-glow"
                                    "&utm_content=mia&fb_click=c_8f2a1d"},
                ],
                request_only=True,
            ),
            OpenApiExample("Answer", value={"created": 2, "updated": 0}, response_only=True,
                           status_codes=["200"]),
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    @extend_schema(
        summary="Assign a conversion to a partnership by hand",
        request=AssignSerializer,
        responses={200: ConversionSerializer},
        examples=[OpenApiExample("Assign", value={"partnership": 12}, request_only=True)],
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        conversion = self.get_object()
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        partnership = _scoped_or_400(
            self.access, Partnership, body.validated_data["partnership"], "partnership"
        )
        with service_errors():
            conversion_assign(access=self.access, conversion=conversion, partnership=partnership)
        return Response(self.get_serializer(self.get_queryset().get(pk=conversion.pk)).data)

    @extend_schema(
        summary="Re-run attribution on a brand's unattributed conversions",
        request=ReattributeSerializer,
        responses={200: ReattributeResultSerializer},
        examples=[
            OpenApiExample("Re-run", value={"brand": 3}, request_only=True),
            OpenApiExample("Answer", value={"attributed": 4}, response_only=True),
        ],
    )
    @action(detail=False, methods=["post"])
    def reattribute(self, request: Request) -> Response:
        access = self.access
        with service_errors():
            require_role(access, required_role(Conversion, "write"))
        body = ReattributeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        brand = _scoped_or_400(access, Brand, body.validated_data["brand"], "brand")
        with service_errors():
            attributed = conversions_reattribute(access=access, brand=brand)
        return Response({"attributed": attributed})


def _scoped_or_400(access: Access, model: type[Any], pk: int, field: str) -> Any:
    from django.http import Http404

    try:
        return get_object_for(access, model, pk)
    except Http404:
        raise ValidationError({field: [
            _('Invalid pk "%(value)s" - object does not exist.') % {"value": pk}
        ]}) from None


class VisitViewSet(_TrackingIngestViewSet):
    """Landings on the brand's site; idempotent on ``brand`` + ``external_id`` (among the API's
    own visits) when given; attributed by click id or UTM parameters of the landing URL."""

    model = Visit
    spec = VISITS
    ingest = staticmethod(partial(visits_ingest, source=Source.API))
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    ordering_fields = ["occurred_at", "created_at"]

    @extend_schema(
        summary="Store up to 10,000 visits (all or nothing)",
        request=VisitItemSerializer(many=True),
        responses={200: BulkResultSerializer,
                   400: _bulk_400_examples("occurred_at", "This field is required.")},
        examples=[
            OpenApiExample(
                "Visits",
                value=[{"brand": 3, "occurred_at": "2026-10-14T22:20:00+00:00",
                        "landing_url": "https://shop.example/?fb_click=c_8f2a1d",
                        "visitor_id": "v-7d1", "external_id": "evt-1"}],
                request_only=True,
            ),
            OpenApiExample("Answer", value={"created": 1, "updated": 0}, response_only=True,
                           status_codes=["200"]),
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    router.register("conversions", ConversionViewSet, basename="conversion")
    router.register("visits", VisitViewSet, basename="visit")

