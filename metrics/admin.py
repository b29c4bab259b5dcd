"""Admin for tracking data and computed KPIs, scoped to the staff user's organizations.

What the system records by itself (clicks, webhook deliveries, KPI snapshots) is read-only;
every hand edit goes through a service. The member's role in the row's organization decides
(``ScopedModelAdmin``): the EMV rate card and platform connections go through their services;
hand corrections and deletes of post metrics, comments and follower counts go through their
ingestion services (validation, labels, follower counts, recompute); visits, conversions and
refunds through their single-row services (``metrics.services.visits`` and
``metrics.services.corrections``: validation, attribution, recompute of the old and the new
campaign). A service's refusal comes back as a form error. OAuth tokens are never displayed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from accounts.admin_bases import (
    ReadOnlyModelAdmin,
    ScopedModelAdmin,
    ScopedTabularInline,
    SuperuserWritesOnly,
)
from accounts.models import Role
from accounts.selectors import Access
from metrics import admin_rollups  # noqa: F401 — registers the rollups' pages
from metrics.connectors.services import connection_disconnect
from metrics.models import (
    COUNTERS,
    Click,
    Comment,
    Conversion,
    EmvRate,
    ExchangeRate,
    FollowerSnapshot,
    KpiSnapshot,
    PlatformConnection,
    PostMetrics,
    Refund,
    Source,
    Visit,
    WebhookDelivery,
)
from metrics.services.corrections import (
    conversion_create,
    conversion_delete,
    conversion_update,
    refund_create,
    refund_delete,
    refund_update,
)
from metrics.services.emv import emv_rate_delete, emv_rate_set, emv_rate_update
from metrics.services.ingestion import (
    comment_delete,
    comments_ingest,
    follower_snapshot_delete,
    follower_snapshots_ingest,
    post_metrics_delete,
    post_metrics_ingest,
)
from metrics.services.visits import visit_create, visit_delete, visit_update

# A visit's or a conversion's idempotency key for the services that feed it: fixed once saved
# (moving a row is a delete and an add).
IDENTITY = ("brand", "source", "external_id")


class IngestedRowAdmin(ScopedModelAdmin):
    """Hand corrections and deletes of rows an ingestion service writes go through the
    services: their validation, their side effects (sentiment labels, creators' follower
    counts) and the recompute of every campaign the row feeds. A row is keyed as the service
    keys it, so the key is read-only once saved (moving a row is a delete and an add)."""

    key: ClassVar[tuple[str, ...]] = ()
    values: ClassVar[tuple[str, ...]] = ()

    def ingest(self, *, organization: Any, items: list[dict[str, Any]], source: str) -> Any:
        raise NotImplementedError

    def remove(self, access: Access, obj: Any) -> None:
        raise NotImplementedError

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        owner = ("organization",) if hasattr(self.model, "organization_id") else ()
        return (*fields, *owner, *self.key)

    def _save(self, access: Access, row: dict[str, Any]) -> Model:
        item = {name: row.get(name) for name in (*self.key, *self.values)}
        self.ingest(organization=access.organization, items=[item],
                    source=row.get("source") or Source.MANUAL)
        return self.model._default_manager.get(**{name: row.get(name) for name in self.key})

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return self._save(access, fields)

    def service_update(self, access: Access, obj: Any, changes: dict[str, Any]) -> Model:
        stored = {name: getattr(obj, name) for name in (*self.key, *self.values, "source")}
        return self._save(access, {**stored, **changes})

    def service_delete(self, access: Access, obj: Any) -> bool:
        # The delete view and the bulk action (``delete_queryset``) both come through here.
        self.remove(access, obj)
        return True


@admin.register(PostMetrics)
class PostMetricsAdmin(IngestedRowAdmin):
    key = ("post", "captured_at")
    values = COUNTERS
    list_display = ("post", "captured_at", "impressions", "reach", "views", "likes", "comments",
                    "shares", "saves", "source")
    list_filter = ("source", "post__platform", "post__partnership__campaign")
    search_fields = ("post__external_id", "post__partnership__influencer__name")
    list_select_related = ("post",)
    raw_id_fields = ("post",)
    date_hierarchy = "captured_at"
    readonly_fields = ("created_at",)

    def ingest(self, **kwargs: Any) -> Any:
        return post_metrics_ingest(**kwargs)

    def remove(self, access: Access, obj: PostMetrics) -> None:
        post_metrics_delete(access=access, post_metrics=obj)


@admin.register(Comment)
class CommentAdmin(IngestedRowAdmin):
    key = ("post", "external_id")
    values = ("text", "posted_at")
    list_display = ("__str__", "post", "posted_at", "sentiment", "compound", "source")
    list_filter = ("sentiment", "source", "post__platform")
    search_fields = ("text", "external_id")
    list_select_related = ("post",)
    raw_id_fields = ("post",)
    date_hierarchy = "posted_at"
    # The sentiment task labels comments; a manager corrects a label on the campaign report,
    # through its service (``metrics.services.comment_labels``), which records who and when.
    readonly_fields = ("sentiment", "compound", "sentiment_source", "corrected_by",
                       "corrected_at", "created_at")

    def ingest(self, **kwargs: Any) -> Any:
        # The service labels the text as it stores it: a corrected text gets a fresh label.
        return comments_ingest(**kwargs)

    def remove(self, access: Access, obj: Comment) -> None:
        comment_delete(access=access, comment=obj)


@admin.register(FollowerSnapshot)
class FollowerSnapshotAdmin(IngestedRowAdmin):
    key = ("brand_account", "social_account", "date")
    values = ("followers",)
    list_display = ("date", "account", "followers", "source", "organization")
    list_filter = ("source", "organization", "brand_account__platform")
    search_fields = ("brand_account__handle", "social_account__handle")
    list_select_related = ("brand_account__brand", "social_account", "organization")
    raw_id_fields = ("brand_account", "social_account")
    date_hierarchy = "date"
    readonly_fields = ("created_at",)

    @admin.display(description="Account")
    def account(self, obj: FollowerSnapshot) -> str:
        return str(obj.brand_account or obj.social_account)

    def ingest(self, **kwargs: Any) -> Any:
        # Also keeps the creator's follower count at her latest snapshot.
        return follower_snapshots_ingest(**kwargs)

    def remove(self, access: Access, obj: FollowerSnapshot) -> None:
        # Also takes the creator's follower count back to her latest remaining snapshot.
        follower_snapshot_delete(access=access, snapshot=obj)


@admin.register(Click)
class ClickAdmin(ReadOnlyModelAdmin):
    list_display = ("click_id", "link", "occurred_at", "is_bot", "is_unique", "device", "country",
                    "referrer_host")
    list_filter = ("is_bot", "is_unique", "device", "link__partnership__campaign")
    search_fields = ("click_id", "link__slug", "referrer_host")
    list_select_related = ("link",)
    date_hierarchy = "occurred_at"


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    list_display = ("occurred_at", "brand", "visitor_id", "attribution", "partnership",
                    "landing_url")
    list_filter = ("attribution", "source", "brand")
    search_fields = ("visitor_id", "external_id", "click_id", "landing_url")
    list_select_related = ("brand", "partnership__influencer")
    raw_id_fields = ("partnership",)
    autocomplete_fields = ("brand",)
    date_hierarchy = "occurred_at"
    # The service attributes the visit; a partnership picked here is credit given by hand.
    readonly_fields = ("attribution", "matched_click", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else (*fields, *IDENTITY)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return visit_create(access=access, **fields)

    def service_update(self, access: Access, obj: Visit, changes: dict[str, Any]) -> Model:
        return visit_update(access=access, visit=obj, **changes)

    def service_delete(self, access: Access, obj: Visit) -> bool:
        visit_delete(access=access, visit=obj)
        return True


class RefundInline(ScopedTabularInline):
    model = Refund
    # The id stays editable for the rows being added; the service refuses a stored refund's
    # new id (it is the Shopify ledger's key).
    fields = ("external_id", "amount", "occurred_at")

    def service_create(self, access: Access, parent: Conversion, fields: dict[str, Any]
                       ) -> Model:
        return refund_create(access=access, conversion=parent, **fields)

    def service_update(self, access: Access, obj: Refund, changes: dict[str, Any]) -> Model:
        return refund_update(access=access, refund=obj, **changes)

    def service_delete(self, access: Access, obj: Refund) -> None:
        refund_delete(access=access, refund=obj)


@admin.register(Conversion)
class ConversionAdmin(ScopedModelAdmin):
    list_display = ("external_id", "brand", "kind", "amount", "currency", "occurred_at",
                    "attribution", "partnership", "is_cancelled")
    list_filter = ("kind", "attribution", "is_cancelled", "source", "brand")
    search_fields = ("external_id", "promo_code", "click_id", "utm_campaign", "utm_content")
    list_select_related = ("brand", "partnership__influencer")
    raw_id_fields = ("partnership",)
    autocomplete_fields = ("brand",)
    date_hierarchy = "occurred_at"
    # The service attributes the conversion; a partnership picked here is credit given by hand.
    readonly_fields = ("attribution", "matched_click", "created_at", "updated_at")
    inlines = [RefundInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else (*fields, *IDENTITY)

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return conversion_create(access=access, **fields)

    def service_update(self, access: Access, obj: Conversion, changes: dict[str, Any]
                       ) -> Model:
        return conversion_update(access=access, conversion=obj, **changes)

    def service_delete(self, access: Access, obj: Conversion) -> bool:
        conversion_delete(access=access, conversion=obj)
        return True


@admin.register(Refund)
class RefundAdmin(ScopedModelAdmin):
    list_display = ("external_id", "conversion", "amount", "occurred_at")
    search_fields = ("external_id", "conversion__external_id")
    list_select_related = ("conversion",)
    raw_id_fields = ("conversion",)
    date_hierarchy = "occurred_at"
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A refund is keyed by its order and its id, as the Shopify ledger keys it.
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is None else (*fields, "conversion", "external_id")

    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        return refund_create(access=access, **fields)

    def service_update(self, access: Access, obj: Refund, changes: dict[str, Any]) -> Model:
        return refund_update(access=access, refund=obj, **changes)

    def service_delete(self, access: Access, obj: Refund) -> bool:
        refund_delete(access=access, refund=obj)
        return True


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SuperuserWritesOnly, admin.ModelAdmin):
    """Shared by every organization, so only superusers change it."""

    list_display = ("date", "currency", "per_euro")
    list_filter = ("currency",)
    search_fields = ("currency",)
    date_hierarchy = "date"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyModelAdmin):
    list_display = ("webhook_id", "topic", "brand", "received_at", "processed_at", "has_error")
    list_filter = ("topic", "brand", ("processed_at", admin.EmptyFieldListFilter))
    search_fields = ("webhook_id", "topic", "error")
    list_select_related = ("brand",)
    date_hierarchy = "received_at"

    @admin.display(description="Error", boolean=True)
    def has_error(self, obj: WebhookDelivery) -> bool:
        return bool(obj.error)


@admin.register(EmvRate)
class EmvRateAdmin(ScopedModelAdmin):
    list_display = ("platform", "metric", "value", "organization", "source", "updated_at")
    list_filter = ("platform", "metric", "organization")
    search_fields = ("source",)
    list_select_related = ("organization",)
    readonly_fields = ("updated_at",)

    # The services re-value every campaign of the organization: EMV uses the rate card.
    def service_create(self, access: Access, fields: dict[str, Any]) -> Model:
        fields.pop("organization", None)
        return emv_rate_set(access=access, **fields)

    def service_update(self, access: Access, obj: EmvRate, changes: dict[str, Any]) -> Model:
        return emv_rate_update(access=access, rate=obj, **changes)

    def service_delete(self, access: Access, obj: EmvRate) -> bool:
        emv_rate_delete(access=access, rate=obj)
        return True


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyModelAdmin):
    list_display = ("campaign", "scope", "key", "as_of", "computed_at")
    list_filter = ("scope", "campaign__brand__organization")
    search_fields = ("campaign__name", "key")
    list_select_related = ("campaign",)
    date_hierarchy = "computed_at"


@admin.register(PlatformConnection)
class PlatformConnectionAdmin(ScopedModelAdmin):
    list_display = ("__str__", "platform", "account", "status", "last_synced_at", "next_sync_at",
                    "token_expires_at")
    list_filter = ("platform", "status", "organization")
    search_fields = ("external_account_id", "social_account__handle", "brand_account__handle")
    list_select_related = ("social_account", "brand_account__brand")
    raw_id_fields = ("social_account", "brand_account")
    # Tokens are encrypted at rest and never shown, not even encrypted; connecting goes
    # through the OAuth flow, so the admin only looks and can disconnect (delete).
    exclude = ("encrypted_access_token", "encrypted_refresh_token")
    readonly_fields = ("organization", "platform", "external_account_id", "token_expires_at",
                       "scopes", "connected_at", "last_synced_at", "last_error", "social_account",
                       "brand_account")

    @admin.display(description="Account")
    def account(self, obj: PlatformConnection) -> str:
        return str(obj.social_account or obj.brand_account)

    # Connecting and disconnecting are the admin role's on the connections page.
    role_floor = {"write": Role.ADMIN, "delete": Role.ADMIN}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def service_delete(self, access: Access, obj: PlatformConnection) -> bool:
        # Revoke the grant at the platform first; the row itself then goes, as asked.
        connection_disconnect(connection=obj)
        obj.delete()
        return True
