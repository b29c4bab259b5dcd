"""The partnership workflow in the Django admin, scoped to the staff user's organisations.

Mostly for looking: brief versions, sends, drafts, reviews and caption checks are written by the
pages, the portal and the API (versions are history; a draft is the creator's). Deliverables
are added, changed and deleted here through ``content.services`` like everywhere else, fee
shares shown to admins and owners only; attachments are removed through their service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from accounts.admin_bases import ReadOnlyModelAdmin, ScopedModelAdmin, ScopedTabularInline
from accounts.models import Role
from accounts.selectors import Access
from content import services
from content.check_text import finding_messages
from content.models import (
    Brief,
    BriefAttachment,
    BriefSend,
    BriefVersion,
    Deliverable,
    Draft,
    DraftReview,
    PostCheck,
)


class HistoryAdmin(ReadOnlyModelAdmin):
    """A record of what happened: never added or changed here. Deleting stays with the
    model's delete role, as for every system record, so deleting a campaign or a partnership
    can take its workflow with it."""


class FindingsMixin:
    @admin.display(description=gettext_lazy("Check"))
    def check_result(self, obj: Any) -> str:
        messages = finding_messages(obj.findings)
        return " ".join(messages) if messages else "✓"


@admin.register(Brief)
class BriefAdmin(HistoryAdmin):
    list_display = ("__str__", "campaign", "created_at")
    list_filter = ("campaign__brand__organization", "campaign")
    list_select_related = ("campaign",)
    search_fields = ("campaign__name",)


class ReadOnlyInline(ScopedTabularInline):
    """Rows shown with their parent, written elsewhere."""

    show_change_link = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BriefAttachmentInline(ReadOnlyInline):
    model = BriefAttachment
    fields = ("name", "content_type", "size", "created_at")
    readonly_fields = fields


@admin.register(BriefVersion)
class BriefVersionAdmin(HistoryAdmin):
    list_display = ("__str__", "brief", "number", "created_by", "created_at")
    list_filter = ("brief__campaign__brand__organization", "brief__campaign")
    list_select_related = ("brief__campaign", "created_by")
    search_fields = ("goal", "key_messages", "brief__campaign__name")
    inlines = [BriefAttachmentInline]


@admin.register(BriefAttachment)
class BriefAttachmentAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "version", "content_type", "size", "created_at")
    list_filter = ("content_type", "version__brief__campaign__brand__organization")
    list_select_related = ("version__brief__campaign",)
    search_fields = ("name",)
    exclude = ("data",)

    def service_delete(self, access: Access, obj: BriefAttachment) -> bool:
        services.brief_attachment_delete(access=access, attachment=obj)
        return True


@admin.register(BriefSend)
class BriefSendAdmin(HistoryAdmin):
    list_display = ("version", "partnership", "sent_by", "sent_at")
    list_filter = ("partnership__campaign__brand__organization", "partnership__campaign")
    list_select_related = ("version__brief__campaign", "partnership__influencer", "sent_by")
    date_hierarchy = "sent_at"


@admin.register(Deliverable)
class DeliverableAdmin(ScopedModelAdmin):
    list_display = ("__str__", "partnership", "due_date", "status", "fee_share", "pay_on")
    list_filter = ("status", "platform", "format", "partnership__campaign__brand__organization")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    search_fields = ("partnership__influencer__name", "partnership__campaign__name")
    raw_id_fields = ("partnership",)
    readonly_fields = ("status", "posts", "created_at", "updated_at")
    fields = ("partnership", "platform", "format", "quantity", "due_date", "fee_share",
              "pay_on", "status", "posts", "created_at", "updated_at")
    field_roles = {"fee_share": Role.ADMIN}
    date_hierarchy = "due_date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)
        # A deliverable stays with its partnership (its drafts and fee share belong there).
        return (*fields, "partnership") if obj is not None else fields

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        partnership = fields.pop("partnership")
        return services.deliverable_create(access=access, partnership=partnership, **fields)

    def service_update(self, access: Access, obj: Deliverable, changes: dict[str, Any]) -> Model:
        return services.deliverable_update(access=access, deliverable=obj, **changes)

    def service_delete(self, access: Access, obj: Deliverable) -> bool:
        services.deliverable_delete(access=access, deliverable=obj)
        return True


class DraftReviewInline(ReadOnlyInline):
    model = DraftReview
    fields = ("decision", "comment", "reviewer", "created_at")
    readonly_fields = fields


@admin.register(Draft)
class DraftAdmin(FindingsMixin, HistoryAdmin):
    list_display = ("__str__", "deliverable", "status", "check_result", "submitted_by",
                    "submitted_at")
    list_filter = ("status", "deliverable__partnership__campaign__brand__organization")
    list_select_related = ("deliverable__partnership", "submitted_by")
    search_fields = ("caption", "deliverable__partnership__influencer__name")
    exclude = ("media",)
    readonly_fields = ("check_result",)
    inlines = [DraftReviewInline]
    date_hierarchy = "submitted_at"


@admin.register(DraftReview)
class DraftReviewAdmin(HistoryAdmin):
    list_display = ("__str__", "decision", "reviewer", "created_at")
    list_filter = ("decision", "draft__deliverable__partnership__campaign__brand__organization")
    list_select_related = ("draft__deliverable", "reviewer")
    search_fields = ("comment",)


@admin.register(PostCheck)
class PostCheckAdmin(FindingsMixin, HistoryAdmin):
    list_display = ("post", "passed", "check_result", "checked_at")
    list_filter = ("passed", "post__partnership__campaign__brand__organization")
    list_select_related = ("post",)
    readonly_fields = ("check_result",)
