"""`/api/v1/emv-rates/`: the organization's rate card. POSTing a (platform, metric) pair the
organization already has replaces its value (200); a new pair is created (201)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import OrgModelSerializer, OrgViewSet, Services, service_errors
from accounts.selectors import require_role, required_role
from metrics.models import EmvRate
from metrics.services import emv


class EmvRateSerializer(OrgModelSerializer):
    class Meta:
        model = EmvRate
        fields = ["id", "platform", "metric", "value", "source", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "value": {
                "help_text": "Money per unit; impressions, reach and views are per 1,000.",
            },
            "source": {"help_text": "Where the number comes from."},
        }


class EmvRateViewSet(OrgViewSet):
    model = EmvRate
    serializer_class = EmvRateSerializer
    services = Services(
        create=emv.emv_rate_set, update=emv.emv_rate_update, delete=emv.emv_rate_delete,
        instance="rate",
    )
    filterset_fields = ["platform", "metric"]
    ordering_fields = ["platform", "metric", "value", "updated_at"]

    @extend_schema(
        responses={
            201: EmvRateSerializer,
            200: OpenApiResponse(EmvRateSerializer, description="An existing pair replaced."),
        }
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.access
        with service_errors():
            require_role(access, required_role(EmvRate, "write"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = self.get_queryset().filter(
            platform=data["platform"], metric=data["metric"]
        ).exists()
        with service_errors():
            rate = emv.emv_rate_set(access=access, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.get_serializer(rate).data, status=code)


def register(router: BaseRouter) -> None:
    router.register("emv-rates", EmvRateViewSet, basename="emv-rate")

