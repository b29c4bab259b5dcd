"""`/api/v1/influencers/` and `/api/v1/social-accounts/`."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import serializers
from rest_framework.routers import BaseRouter

from accounts.api import IdFilter, OrgModelSerializer, OrgViewSet, Services
from config.iso import COUNTRY_CHOICES, COUNTRY_ERROR
from influencers import services
from influencers.models import Influencer, Platform, SocialAccount


class CountryField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in any case ("us" is US); blank for unknown."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": COUNTRY_ERROR})
        super().__init__(COUNTRY_CHOICES, allow_blank=True, required=False, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


class InfluencerSerializer(OrgModelSerializer):
    country = CountryField(help_text="ISO 3166-1 alpha-2 code, e.g. US; blank if unknown.")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=100,
        help_text="Free labels, stored lower-case and de-duplicated.",
    )

    class Meta:
        model = Influencer
        fields = ["id", "name", "email", "country", "tags", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class InfluencerFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Influencer
        fields = ["country"]


class InfluencerViewSet(OrgViewSet):
    model = Influencer
    serializer_class = InfluencerSerializer
    services = Services(
        create=services.influencer_create, update=services.influencer_update,
        delete=services.influencer_delete, instance="influencer",
    )
    filterset_class = InfluencerFilter
    search_fields = ["name", "email", "notes"]
    ordering_fields = ["name", "created_at", "updated_at", "country"]


class SocialAccountSerializer(OrgModelSerializer):
    class Meta:
        model = SocialAccount
        fields = ["id", "influencer", "platform", "handle", "url", "followers", "created_at"]
        read_only_fields = ["created_at"]


class SocialAccountFilter(django_filters.FilterSet):
    influencer = IdFilter(field_name="influencer")
    platform = django_filters.ChoiceFilter(choices=Platform.choices)

    class Meta:
        model = SocialAccount
        fields = ["influencer", "platform"]


class SocialAccountViewSet(OrgViewSet):
    model = SocialAccount
    serializer_class = SocialAccountSerializer
    services = Services(
        create=services.social_account_create, update=services.social_account_update,
        delete=services.social_account_delete, instance="account",
    )
    filterset_class = SocialAccountFilter
    search_fields = ["handle", "influencer__name"]
    ordering_fields = ["handle", "platform", "followers", "created_at"]


def register(router: BaseRouter) -> None:
    router.register("influencers", InfluencerViewSet, basename="influencer")
    router.register("social-accounts", SocialAccountViewSet, basename="social-account")
