"""Admin for the creator directory, scoped to the staff user's organizations; writes go through
``influencers.services`` with the member's access in the creator's organization."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from accounts.admin_bases import ScopedModelAdmin, ScopedTabularInline
from accounts.selectors import Access
from influencers import services
from influencers.models import Influencer, SocialAccount


class SocialAccountInline(ScopedTabularInline):
    model = SocialAccount
    fields = ("platform", "handle", "url", "followers", "created_at")
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, parent: Influencer, fields: dict[str, Any]
                       ) -> Model:
        return services.social_account_create(access=access, influencer=parent, **fields)

    def service_update(self, access: Access, obj: SocialAccount, changes: dict[str, Any]
                       ) -> Model:
        return services.social_account_update(access=access, account=obj, **changes)

    def service_delete(self, access: Access, obj: SocialAccount) -> None:
        services.social_account_delete(access=access, account=obj)


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

    @admin.display(description=gettext_lazy("Accounts"), ordering="_accounts")
    def account_count(self, obj: Influencer) -> int:
        return getattr(obj, "_accounts", 0)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.influencer_create(access=access, **fields)

    def service_update(self, access: Access, obj: Influencer, changes: dict[str, Any]) -> Model:
        return services.influencer_update(access=access, influencer=obj, **changes)

    def service_delete(self, access: Access, obj: Influencer) -> bool:
        services.influencer_delete(access=access, influencer=obj)
        return True


@admin.register(SocialAccount)
class SocialAccountAdmin(ScopedModelAdmin):
    list_display = ("handle", "platform", "influencer", "followers", "created_at")
    list_filter = ("platform", "influencer__organization")
    search_fields = ("handle", "influencer__name")
    list_select_related = ("influencer",)
    autocomplete_fields = ("influencer",)
    readonly_fields = ("created_at",)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return services.social_account_create(access=access, **fields)

    def service_update(self, access: Access, obj: SocialAccount, changes: dict[str, Any]
                       ) -> Model:
        return services.social_account_update(access=access, account=obj, **changes)

    def service_delete(self, access: Access, obj: SocialAccount) -> bool:
        services.social_account_delete(access=access, account=obj)
        return True
