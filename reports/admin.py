"""Client reports in the Django admin. Share links are made where their secret can be shown
once (the campaign's Share page or the API), so here they are looked at, revoked or deleted —
through the same services, with the role the member holds in the link's organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from accounts.admin_bases import ReadOnlyModelAdmin, ScopedModelAdmin
from accounts.admin_scoping import admin_access
from accounts.selectors import Access
from reports.models import (
    DigestDelivery,
    DigestRecipient,
    DigestSchedule,
    DigestSend,
    ShareLink,
    ShareLinkView,
)
from reports.services.digests import (
    digest_recipient_add,
    digest_recipient_remove,
    digest_schedule_delete,
    digest_schedule_save,
)
from reports.services.share_links import share_link_delete, share_link_revoke


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "campaign", "show_costs", "expires_at", "revoked_at", "created_at",
                    "created_by")
    list_filter = ("show_costs", "campaign__brand__organization", "campaign")
    list_select_related = ("campaign", "created_by")
    search_fields = ("label", "campaign__name", "token_hint")
    date_hierarchy = "created_at"
    actions = ["revoke_links"]

    @admin.action(description="Revoke the selected share links")
    def revoke_links(self, request: HttpRequest, queryset: QuerySet[ShareLink]) -> None:
        links = list(queryset.select_related("campaign__brand__organization"))
        if not all(self.allowed(request, "write", link) for link in links):
            raise PermissionDenied("Revoking needs the admin role in every link's organisation.")
        for link in links:
            access = admin_access(request, link.campaign.brand.organization)
            share_link_revoke(access=access, share_link=link)
        self.message_user(request, f"Revoked {len(links)} share link(s).", messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not self.allowed(request, "write"):
            actions.pop("revoke_links", None)
        return actions


    def service_delete(self, access: Access, obj: ShareLink) -> bool:
        share_link_delete(access=access, share_link=obj)
        return True


@admin.register(ShareLinkView)
class ShareLinkViewAdmin(ReadOnlyModelAdmin):
    list_display = ("share_link", "kind", "viewed_at")
    list_filter = ("kind", "share_link__campaign__brand__organization")
    list_select_related = ("share_link",)
    date_hierarchy = "viewed_at"


@admin.register(DigestSchedule)
class DigestScheduleAdmin(ScopedModelAdmin):
    list_display = ("campaign", "frequency", "weekday", "day_of_month", "hour", "is_active")
    list_filter = ("frequency", "is_active", "campaign__brand__organization")
    list_select_related = ("campaign",)
    autocomplete_fields = ("campaign",)
    readonly_fields = ("effective_from", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A schedule belongs to its campaign for good; a new campaign gets a new schedule.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "campaign") if obj is not None else fields

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        campaign = fields.pop("campaign")
        return digest_schedule_save(access=access, campaign=campaign, **fields)

    def service_update(self, access: Access, obj: DigestSchedule, changes: dict[str, Any]
                       ) -> Model:
        return digest_schedule_save(access=access, campaign=obj.campaign, **changes)

    def service_delete(self, access: Access, obj: DigestSchedule) -> bool:
        digest_schedule_delete(access=access, schedule=obj)
        return True


@admin.register(DigestRecipient)
class DigestRecipientAdmin(ScopedModelAdmin):
    """Added and removed, never edited: a changed address is a new recipient (who has not
    unsubscribed), and an unsubscribed one stays as the recipient left it."""

    list_display = ("email", "schedule", "unsubscribed_at", "created_at")
    list_filter = ("schedule__campaign__brand__organization",)
    list_select_related = ("schedule__campaign",)
    search_fields = ("email",)
    raw_id_fields = ("schedule",)
    readonly_fields = ("unsubscribed_at", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return digest_recipient_add(
            access=access, campaign=fields["schedule"].campaign, email=fields["email"]
        )

    def service_delete(self, access: Access, obj: DigestRecipient) -> bool:
        digest_recipient_remove(access=access, recipient=obj)
        return True


@admin.register(DigestSend)
class DigestSendAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "schedule", "trigger", "status", "created_at", "finished_at")
    list_filter = ("status", "trigger", "schedule__campaign__brand__organization")
    list_select_related = ("schedule__campaign",)
    exclude = ("share_token_cipher",)
    date_hierarchy = "slot"


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("email", "send", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "send__schedule__campaign__brand__organization")
    list_select_related = ("send",)
    search_fields = ("email",)
