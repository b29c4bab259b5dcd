"""Admin for the creator directory, scoped to the staff user's organizations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accounts.admin import ScopedModelAdmin, ScopedTabularInline
from influencers.models import Influencer, SocialAccount


class SocialAccountInline(ScopedTabularInline):
    model = SocialAccount
    fields = ("platform", "handle", "url", "followers", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Influencer)
class InfluencerAdmin(ScopedModelAdmin):
    list_display = ("name", "organization", "email", "country", "account_count", "created_at")
    list_filter = ("organization", "country")
    search_fields = ("name", "email", "social_accounts__handle")
    list_select_related = ("organization",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [SocialAccountInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).annotate(_accounts=Count("social_accounts"))

    @admin.display(description="Accounts", ordering="_accounts")
    def account_count(self, obj: Influencer) -> int:
        return getattr(obj, "_accounts", 0)


@admin.register(SocialAccount)
class SocialAccountAdmin(ScopedModelAdmin):
    list_display = ("handle", "platform", "influencer", "followers", "created_at")
    list_filter = ("platform", "influencer__organization")
    search_fields = ("handle", "influencer__name")
    list_select_related = ("influencer",)
    autocomplete_fields = ("influencer",)
    readonly_fields = ("created_at",)
