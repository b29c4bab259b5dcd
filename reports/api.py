"""`/api/v1/` share links: ``campaigns/<id>/share-links/`` lists and makes a campaign's links,
``share-links/<id>/`` reads one and DELETE revokes it (admins and owners). The URL is in the
answer to the POST only: the token is stored as a hash."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import OrgScopedMixin, service_errors
from accounts.models import Role
from accounts.selectors import require_role
from campaigns.selectors import campaign_for
from reports.models import ShareLink
from reports.selectors import share_url
from reports.services.share_links import share_link_create, share_link_revoke


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The public link; in the answer to the POST only (null afterwards)."
    )
    views = serializers.IntegerField(source="view_count", read_only=True, default=0)
    last_viewed_at = serializers.DateTimeField(read_only=True, default=None)

    class Meta:
        model = ShareLink
        fields = [
            "id", "url", "label", "expires_at", "show_costs", "created_at", "campaign",
            "token_hint", "revoked_at", "views", "last_viewed_at",
        ]
        read_only_fields = ["created_at", "campaign", "token_hint", "revoked_at"]

    def get_url(self, link: ShareLink) -> str | None:
        token = getattr(link, "token", None)
        return share_url(token) if token else None


class _ShareLinks(OrgScopedMixin):
    model = ShareLink
    serializer_class = ShareLinkSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("campaign").annotate(
            view_count=Count("views"), last_viewed_at=Max("views__viewed_at")
        ).order_by("-created_at", "-pk")  # a grouped query drops Meta.ordering


class CampaignShareLinkViewSet(
    _ShareLinks, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A campaign's share links (admins and owners; another organisation's campaign is 404)."""

    ordering_fields = ["created_at", "expires_at"]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return ShareLink.objects.none()
        campaign = campaign_for(self.access, self.kwargs["campaign_pk"])
        with service_errors():
            require_role(self.access, Role.ADMIN)
        return super().get_queryset().filter(campaign=campaign)

    @extend_schema(request=ShareLinkSerializer, responses={201: ShareLinkSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        campaign = campaign_for(self.access, self.kwargs["campaign_pk"])
        with service_errors():
            require_role(self.access, Role.ADMIN)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            link, token = share_link_create(
                access=self.access, campaign=campaign, label=data.get("label", ""),
                expires_at=data.get("expires_at"), show_costs=data.get("show_costs", False),
            )
        link.token = token  # type: ignore[attr-defined]
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)


class ShareLinkViewSet(
    _ShareLinks, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's share links (``?campaign=`` narrows them); DELETE revokes one (the
    row stays, with ``revoked_at``). Admins and owners; lower roles list nothing."""

    filterset_fields = ["campaign", "show_costs"]
    ordering_fields = ["created_at", "expires_at"]

    def perform_destroy(self, instance: ShareLink) -> None:
        with service_errors():
            share_link_revoke(access=self.access, share_link=instance)


def register(router: BaseRouter) -> None:
    router.register(
        r"campaigns/(?P<campaign_pk>[^/.]+)/share-links", CampaignShareLinkViewSet,
        basename="campaign-share-link",
    )
    router.register("share-links", ShareLinkViewSet, basename="share-link")
