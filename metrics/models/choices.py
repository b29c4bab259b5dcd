"""The choices of the metrics models (sources, sentiment, attribution, event kinds, EMV
metrics, KPI scopes, connection states) and the counters a post reports."""

from __future__ import annotations

from django.db import models

COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)


class Source(models.TextChoices):
    API = "api", "API"
    CSV = "csv", "CSV import"
    MANUAL = "manual", "Entered by hand"
    CONNECTOR = "connector", "Platform connector"
    SHOPIFY = "shopify", "Shopify"
    PIXEL = "pixel", "Site pixel"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class LabelSource(models.TextChoices):
    """Who set a comment's sentiment: the model, or a person correcting it (which then wins
    over every later relabelling)."""

    MACHINE = "machine", "Machine"
    MANUAL = "manual", "Corrected"


class AttributionReason(models.TextChoices):
    PROMO_CODE = "promo_code", "Promo code"
    LINK = "link", "Click id"
    UTM = "utm", "UTM parameters"
    MANUAL = "manual", "Assigned by hand"
    UNATTRIBUTED = "unattributed", "Unattributed"


class EventKind(models.TextChoices):
    VISIT = "visit", "Visit"
    SIGNUP = "signup", "Signup"
    DOWNLOAD = "download", "Download"
    REGISTRATION = "registration", "Registration"
    LEAD = "lead", "Lead"
    DEMO = "demo", "Demo"
    TRIAL = "trial", "Trial"
    SALE = "sale", "Sale"


LEAD_KINDS = (EventKind.SIGNUP, EventKind.DOWNLOAD, EventKind.REGISTRATION, EventKind.LEAD)
CONVERSION_KINDS = (EventKind.SALE, EventKind.DEMO, EventKind.TRIAL)


class EmvMetric(models.TextChoices):
    IMPRESSIONS = "impressions", "Impressions (per 1,000)"
    REACH = "reach", "Reach (per 1,000)"
    VIEWS = "views", "Views (per 1,000)"
    LIKES = "likes", "Likes"
    COMMENTS = "comments", "Comments"
    SHARES = "shares", "Shares"
    SAVES = "saves", "Saves"
    MENTIONS = "mentions", "Mentions"
    LINK_CLICKS = "link_clicks", "Link clicks"


class KpiScope(models.TextChoices):
    TOTAL = "total", "Campaign total"
    PARTNERSHIP = "partnership", "Per partnership"
    PLATFORM = "platform", "Per platform"
    DAY = "day", "Per day"


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", "Connected"
    ERROR = "error", "Failing"
    REVOKED = "revoked", "Disconnected"
