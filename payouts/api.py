"""``/api/v1/payouts/``: the ledger's lines (read-only: they accrue from the workflow and the
KPI engine), with ``approve`` and ``pay`` through the same services as the pages. Admins and
owners see the organization's lines; a creator their own, read-only; viewers and managers
none (an id answers 404)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import IdFilter, OrgScopedMixin, service_errors
from accounts.api_auth import access_of
from payouts.models import PaymentMethod, PayoutLine, PayoutStatus
from payouts.selectors import month_bounds, parse_month
from payouts.services.approvals import payout_approve, payout_mark_paid


class PayoutLineSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="partnership.campaign_id", read_only=True)
    influencer = serializers.IntegerField(source="partnership.influencer_id", read_only=True)
    creator = serializers.CharField(source="partnership.influencer.name", read_only=True)

    class Meta:
        model = PayoutLine
        fields = [
            "id", "partnership", "campaign", "influencer", "creator", "deliverable", "kind",
            "description", "amount", "currency", "previous_amount", "status", "accrued_at",
            "approved_at", "approved_by", "paid_on", "method", "reference",
        ]
        read_only_fields = fields


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                      default="")


class PayoutLineFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="partnership__campaign")
    partnership = IdFilter(field_name="partnership")
    influencer = IdFilter(field_name="partnership__influencer")
    status = django_filters.ChoiceFilter(choices=PayoutStatus.choices)
    month = django_filters.CharFilter(method="filter_month", label="Month of accrual (YYYY-MM)")

    class Meta:
        model = PayoutLine
        fields = ["campaign", "partnership", "influencer", "status", "kind"]

    def filter_month(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        try:
            month = parse_month(value)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        if month is None:
            return queryset
        access = access_of(self.request)
        if access is None:  # the viewset's permission refused the request already
            return queryset.none()
        start, end = month_bounds(month, access.organization)
        return queryset.filter(accrued_at__gte=start, accrued_at__lt=end)


ACCESS = (
    "Payout lines are for admins and owners (a creator sees their own, read-only): for "
    "managers and viewers the list is empty and every id answers 404."
)


@extend_schema_view(
    list=extend_schema(description=ACCESS),
    retrieve=extend_schema(description=ACCESS),
)
class PayoutLineViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = PayoutLine
    creator_allowed = True
    serializer_class = PayoutLineSerializer
    select_related = ("partnership__influencer",)
    filterset_class = PayoutLineFilter
    search_fields = ["description", "reference", "partnership__influencer__name"]
    ordering_fields = ["accrued_at", "amount", "status"]
    checkpoint_actions = {"approve": "write", "pay": "write"}

    @extend_schema(
        summary="Approve an accrued line (above the approval limit: owners only)",
        request=None, responses={200: PayoutLineSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        line = self.get_object()
        with service_errors():
            line = payout_approve(access=self.access, line=line)
        return Response(self.get_serializer(line).data)

    @extend_schema(
        summary="Mark an approved line paid (no payment is sent)",
        request=PaySerializer, responses={200: PayoutLineSerializer},
        examples=[OpenApiExample("Paid", request_only=True, value={
            "paid_on": "2026-05-31", "method": "bank_transfer", "reference": "INV-2026-051"})],
    )
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str | None = None) -> Response:
        line = self.get_object()
        body = PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            line = payout_mark_paid(access=self.access, line=line, **body.validated_data)
        return Response(self.get_serializer(line).data)


def register(router: BaseRouter) -> None:
    router.register("payouts", PayoutLineViewSet, basename="payout")
