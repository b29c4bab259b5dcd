"""What the KPI engine keeps between recomputes: daily rollups of the raw events, maintained as
the events arrive (``metrics.services.rollups``), so a recompute reads a few thousand rollup
rows instead of millions of raw ones.

- ``PostRollupState``: where each post stands in the rollups — the key its contributions were
  added under (partnership, platform), its follower basis, and the counters carried forward
  to its latest snapshot, so a new snapshot adds only its delta;
- ``PostDayRollup``: per (partnership, platform, local day of capture) the summed post deltas
  in ``POST_VECTOR`` layout (summing a partnership's rows up to a day gives its post sums on
  that day);
- ``CommentDayRollup``: comments per (partnership, platform, local day, sentiment label);
- ``ClickDayRollup``: clicks per (partnership, local day): counted (not bots), unique, bots.

Every rollup row carries its campaign for the recompute's one-index read. Days are the
organization's local days; a time-zone change rebuilds them (``kpi_rollups_rebuild``).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from campaigns.models import Campaign, Partnership, Post
from metrics.kpis import COUNTERS, POST_VECTOR


class PostRollupState(models.Model):
    """A post's place in the rollups (one row per post with snapshots or comments counted)."""

    organization_path: ClassVar[str] = "post__partnership__campaign__brand__organization"

    post = models.OneToOneField(Post, primary_key=True, on_delete=models.CASCADE,
                                related_name="rollup_state")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    partnership_id = models.BigIntegerField()
    platform = models.CharField(max_length=20)
    followers = models.BigIntegerField(null=True)
    captured_at = models.DateTimeField(null=True, help_text="Its latest snapshot counted.")
    # Then each counter carried forward to that snapshot (added below; NULL: never reported).

    def __str__(self) -> str:
        return f"Rollup state of post #{self.pk}"


for _name in COUNTERS:
    PostRollupState.add_to_class(_name, models.BigIntegerField(null=True))


class _DayRollup(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    organization_path: ClassVar[str] = "campaign__brand__organization"

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of partnership #{self.partnership_id} on {self.day}"


class PostDayRollup(_DayRollup):
    """Summed post deltas per (partnership, platform, local day of capture); one integer
    column per ``POST_VECTOR`` entry (added below)."""

    platform = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "platform", "day"],
                                               name="postdayrollup_key")]
        indexes = [models.Index(fields=["campaign", "day"], name="postdayrollup_campaign")]


for _name in POST_VECTOR:
    PostDayRollup.add_to_class(_name, models.BigIntegerField(default=0))


class CommentDayRollup(_DayRollup):
    """Comments per (partnership, platform, local day of posting, label)."""

    platform = models.CharField(max_length=20)
    sentiment = models.CharField(max_length=10, blank=True)
    comments = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["partnership", "platform", "day", "sentiment"], name="commentdayrollup_key")]
        indexes = [models.Index(fields=["campaign", "day"], name="commentdayrollup_campaign")]


class ClickDayRollup(_DayRollup):
    """Clicks per (partnership, local day): counted ones (not bots), unique ones, bots."""

    clicks = models.BigIntegerField(default=0)
    unique_clicks = models.BigIntegerField(default=0)
    bot_clicks = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "day"],
                                               name="clickdayrollup_key")]
        indexes = [models.Index(fields=["campaign", "day"], name="clickdayrollup_campaign")]


class RollupRebuild(models.Model):
    """When a campaign's rollups were last rebuilt from raw rows. A campaign without one has
    never been rolled up (created before rollups existed): its first recompute rebuilds."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.OneToOneField(Campaign, primary_key=True, on_delete=models.CASCADE,
                                    related_name="rollup_rebuild")
    rebuilt_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long the rebuild took.")

    def __str__(self) -> str:
        return f"Rollups of campaign #{self.pk} rebuilt at {self.rebuilt_at:%Y-%m-%d %H:%M}"


# --- The funnel: conversions, refunds, visits and first-seen visitors -------------------------
# Whether a conversion or visit counts depends on the campaign's windows and on every refund of
# the order (the one that reaches the amount takes the conversion out of the count). New orders
# and visits are added as they are written (``metrics.services.funnel_appends``); any other
# write only notes what it touched (``FunnelChange``) and the next recompute re-derives those
# days from raw rows (``metrics.services.funnel_rollups``) before reading.


class FunnelChange(models.Model):
    """A funnel event of ``partnership`` written, corrected or deleted: the local day of
    ``occurred_at`` (a conversion's or visit's own time) is re-derived at the next recompute.
    No ``occurred_at``: every day (the campaign's windows changed)."""

    organization_path: ClassVar[str] = "partnership__campaign__brand__organization"

    # No database constraint and nothing done on delete: a deletion that cascades through
    # orders and visits notes them as it goes, whatever order it deletes the partnership in
    # (notes left behind are dropped nightly, ``funnel_changes_forget_orphans``).
    partnership = models.ForeignKey(Partnership, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="+")
    occurred_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"Funnel change of partnership #{self.partnership_id}"


class ConversionDayRollup(_DayRollup):
    """Counted conversions and leads and their refunds, by the local ``day`` the change lands
    on (the order's day for the order, a refund's day for the refund) and ``rate_day``, the
    order's own day, whose exchange rate values every change of that order. All the rows of one
    ``rate_day`` are the contributions of that day's orders: they are re-derived together."""

    source = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    rate_day = models.DateField()
    conversions = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        indexes = [models.Index(fields=["campaign", "rate_day"],
                                name="conversiondayrollup_campaign")]


class VisitDayRollup(_DayRollup):
    """Counted visits per (partnership, local day)."""

    visits = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["campaign", "day"], name="visitdayrollup_campaign")]


class VisitorFirstSeen(models.Model):
    """The local day of a visitor's first counted visit, per partnership and (``partnership``
    empty) for the campaign as a whole: distinct visitors as of a day are the rows on or before
    it, exact and additive."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, null=True, on_delete=models.CASCADE,
                                    related_name="+")
    visitor_id = models.CharField(max_length=100)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "partnership", "visitor_id"],
                                    condition=models.Q(partnership__isnull=False),
                                    name="visitorfirstseen_partnership"),
            models.UniqueConstraint(fields=["campaign", "visitor_id"],
                                    condition=models.Q(partnership__isnull=True),
                                    name="visitorfirstseen_campaign"),
        ]
        indexes = [models.Index(fields=["campaign", "day"], name="visitorfirstseen_day")]

    def __str__(self) -> str:
        return f"Visitor {self.visitor_id} first seen on {self.day}"


class NewVisitorDayRollup(models.Model):
    """How many visitors were first seen on a local day, per partnership and (``partnership``
    empty) for the campaign as a whole."""

    organization_path: ClassVar[str] = "campaign__brand__organization"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, null=True, on_delete=models.CASCADE,
                                    related_name="+")
    day = models.DateField()
    visitors = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["campaign", "day"], name="newvisitordayrollup_campaign")]

    def __str__(self) -> str:
        return f"New visitors on {self.day}"
