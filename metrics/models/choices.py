"""The choices of the metrics models (sources, sentiment, attribution, event kinds, EMV
metrics, KPI scopes, connection states) and the counters a post reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)


class Source(models.TextChoices):
    API = "api", _("API")
    CSV = "csv", _("CSV import")
    MANUAL = "manual", _("Entered by hand")
    CONNECTOR = "connector", _("Platform connector")
    SHOPIFY = "shopify", _("Shopify")
    PIXEL = "pixel", _("Site pixel")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")
    # A comment in a language the model does not read (it reads English): in no label, and
    # not in the net sentiment; the report says how many there are.
    UNREAD = "unread", _("Not read")


class LabelSource(models.TextChoices):
    """Who set a comment's sentiment: the model, or a person correcting it (which then wins
    over every later relabelling)."""

    MACHINE = "machine", _("Machine")
    MANUAL = "manual", _("Corrected")


class AttributionReason(models.TextChoices):
    PROMO_CODE = "promo_code", _("Promo code")
    LINK = "link", _("Click id")
    UTM = "utm", _("UTM parameters")
    MANUAL = "manual", _("Assigned by hand")
    UNATTRIBUTED = "unattributed", _("Unattributed")


class EventKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    SIGNUP = "signup", _("Signup")
    DOWNLOAD = "download", _("Download")
    REGISTRATION = "registration", _("Registration")
    LEAD = "lead", _("Lead")
    DEMO = "demo", _("Demo")
    TRIAL = "trial", _("Trial")
    SALE = "sale", _("Sale")


LEAD_KINDS = (EventKind.SIGNUP, EventKind.DOWNLOAD, EventKind.REGISTRATION, EventKind.LEAD)
CONVERSION_KINDS = (EventKind.SALE, EventKind.DEMO, EventKind.TRIAL)


class EmvMetric(models.TextChoices):
    IMPRESSIONS = "impressions", _("Impressions (per 1,000)")
    REACH = "reach", _("Reach (per 1,000)")
    VIEWS = "views", _("Views (per 1,000)")
    LIKES = "likes", _("Likes")
    COMMENTS = "comments", _("Comments")
    SHARES = "shares", _("Shares")
    SAVES = "saves", _("Saves")
    MENTIONS = "mentions", _("Mentions")
    LINK_CLICKS = "link_clicks", _("Link clicks")


class KpiScope(models.TextChoices):
    TOTAL = "total", _("Campaign total")
    PARTNERSHIP = "partnership", _("Per partnership")
    PLATFORM = "platform", _("Per platform")
    DAY = "day", _("Per day")


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", _("Connected")
    ERROR = "error", _("Failing")
    REVOKED = "revoked", _("Disconnected")
