"""What comes in (metrics, comments, followers, clicks, visits, conversions) and what the KPI
engine stores (KpiSnapshot), one module per kind; every name is importable from here.

- ``choices``: the TextChoices and the counters a post reports;
- ``social``: PostMetrics, Comment, FollowerSnapshot (what the platforms report);
- ``funnel``: Click, Visit, Conversion, Refund, WebhookDelivery (the brand's funnel);
- ``rates``: ExchangeRate, EmvRate (what amounts are valued with);
- ``kpi_snapshots``: KpiSnapshot (what the KPI engine stores);
- ``rollups``: the daily rollups a recompute reads, kept as events arrive;
- ``connections``: PlatformConnection (OAuth credentials).
"""

from metrics.models.choices import (
    CONVERSION_KINDS,
    COUNTERS,
    LEAD_KINDS,
    AttributionReason,
    ConnectionStatus,
    EmvMetric,
    EventKind,
    KpiScope,
    LabelSource,
    Sentiment,
    Source,
)
from metrics.models.connections import PlatformConnection
from metrics.models.funnel import Click, Conversion, Refund, Visit, WebhookDelivery
from metrics.models.kpi_snapshots import KpiSnapshot
from metrics.models.rates import EmvRate, ExchangeRate
from metrics.models.rollups import (
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
from metrics.models.social import Comment, FollowerSnapshot, PostMetrics, counter

__all__ = [
    "CONVERSION_KINDS",
    "COUNTERS",
    "LEAD_KINDS",
    "AttributionReason",
    "Click",
    "ClickDayRollup",
    "CommentDayRollup",
    "ConversionDayRollup",
    "FunnelChange",
    "NewVisitorDayRollup",
    "Comment",
    "ConnectionStatus",
    "Conversion",
    "EmvMetric",
    "EmvRate",
    "EventKind",
    "ExchangeRate",
    "FollowerSnapshot",
    "KpiScope",
    "KpiSnapshot",
    "LabelSource",
    "PlatformConnection",
    "PostDayRollup",
    "PostMetrics",
    "PostRollupState",
    "Refund",
    "RollupRebuild",
    "VisitDayRollup",
    "VisitorFirstSeen",
    "Sentiment",
    "Source",
    "Visit",
    "WebhookDelivery",
    "counter",
]
