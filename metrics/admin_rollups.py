"""The KPI rollups in the Django admin, to look at (imported by ``metrics/admin.py``): they are
kept by the services as data arrives and rebuilt by ``rebuild_kpis``, never edited by hand."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_bases import ReadOnlyModelAdmin
from metrics.models import (
    ClickDayRollup,
    CommentDayRollup,
    ConversionDayRollup,
    FunnelChange,
    NewVisitorDayRollup,
    PostDayRollup,
    PostRollupState,
    RollupRebuild,
    VisitDayRollup,
    VisitorFirstSeen,
)


class RollupAdmin(ReadOnlyModelAdmin):
    """Derived rows: no add or change. Deleting stays with the roles that may delete a
    campaign (whose deletion cascades here); a row deleted by hand comes back with
    ``rebuild_kpis``."""


@admin.register(RollupRebuild)
class RollupRebuildAdmin(RollupAdmin):
    list_display = ("campaign", "rebuilt_at", "seconds")
    list_filter = ("campaign__brand__organization",)
    list_select_related = ("campaign",)


@admin.register(PostRollupState)
class PostRollupStateAdmin(RollupAdmin):
    list_display = ("post", "campaign", "partnership_id", "platform", "followers", "captured_at")
    list_filter = ("platform", "campaign")
    list_select_related = ("post", "campaign")


@admin.register(PostDayRollup)
class PostDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "platform", "day", "v_impressions", "v_likes")
    list_filter = ("platform", "campaign")
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(CommentDayRollup)
class CommentDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "platform", "day", "sentiment", "comments")
    list_filter = ("sentiment", "campaign")
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(ClickDayRollup)
class ClickDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "day", "clicks", "unique_clicks", "bot_clicks")
    list_filter = ("campaign",)
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(ConversionDayRollup)
class ConversionDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "day", "source", "kind", "currency", "rate_day",
                    "conversions", "amount")
    list_filter = ("source", "kind", "campaign")
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(VisitDayRollup)
class VisitDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "day", "visits")
    list_filter = ("campaign",)
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(VisitorFirstSeen)
class VisitorFirstSeenAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "visitor_id", "day")
    list_filter = ("campaign",)
    list_select_related = ("campaign", "partnership__influencer")
    search_fields = ("visitor_id",)
    date_hierarchy = "day"


@admin.register(NewVisitorDayRollup)
class NewVisitorDayRollupAdmin(RollupAdmin):
    list_display = ("campaign", "partnership", "day", "visitors")
    list_filter = ("campaign",)
    list_select_related = ("campaign", "partnership__influencer")
    date_hierarchy = "day"


@admin.register(FunnelChange)
class FunnelChangeAdmin(RollupAdmin):
    """Days waiting to be re-derived by the next recompute."""

    list_display = ("partnership", "occurred_at")
    list_select_related = ("partnership__influencer", "partnership__campaign")
