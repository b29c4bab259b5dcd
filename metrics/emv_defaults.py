"""The shipped default EMV rate card, with the source of every number, and the service that
gives an organization its own editable copy.

Each platform is valued on ONE exposure metric, so an audience is not paid for twice: ``views``
where the platform reports views as its exposure measure (Instagram since 2025, TikTok, YouTube,
Twitch, Snapchat), else ``impressions``. Impressions, reach and views are priced per 1,000.

Public per-metric values are scarce and move daily (the Ayzenberg index, used by most tools, is
a paid product). The defaults below are the published numbers we could cite; each row says
where it comes from. Teams are expected to replace them with their agency's own card
(``emv-rates/`` in the API, or the admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from accounts.models import Organization
from metrics.models import EmvRate

# Later's worked example: $0.30 per like, $0.50 per comment, $0.05 per 1,000 impressions. Later
# says these are illustrative and that the daily Ayzenberg values differ.
LATER_EXAMPLE = (
    "Later Influence help centre, EMV & ROI worked example (illustrative values): "
    "https://help-influence.later.com/hc/en-us/articles/21083269843607"
)
# Ayzenberg's 2016 Twitter values: $9.07 per 1,000 impressions, $0.60 per favourite, $2.87 per
# reply, $1.88 per retweet/share, $1.58 per click.
AYZENBERG_TWITTER = (
    "Ayzenberg Earned Media Value Index (2016), Twitter values as quoted by SocialToaster: "
    "https://socialtoaster.com/?p=32725"
)
AYZENBERG_SHARE_CLICK = (
    "Ayzenberg Earned Media Value Index (2016) share/click values, quoted by SocialToaster "
    "(https://socialtoaster.com/?p=32725), used for every platform (no per-platform figure)"
)
SAVE_AS_LIKE = (
    "Funnelboard assumption: no public per-save value found, so a save is valued like a like "
    "(Later example: https://help-influence.later.com/hc/en-us/articles/21083269843607)"
)

VIEWS_PLATFORMS = ("instagram", "tiktok", "youtube", "twitch", "snapchat")
IMPRESSIONS_PLATFORMS = ("facebook", "linkedin", "pinterest", "blog")


@dataclass(frozen=True)
class DefaultRate:
    platform: str
    metric: str
    value: Decimal
    source: str


def _card() -> list[DefaultRate]:
    rates: list[DefaultRate] = []
    for platform in VIEWS_PLATFORMS + IMPRESSIONS_PLATFORMS:
        exposure = "views" if platform in VIEWS_PLATFORMS else "impressions"
        rates += [
            DefaultRate(platform, exposure, Decimal("0.05"), LATER_EXAMPLE),
            DefaultRate(platform, "likes", Decimal("0.30"), LATER_EXAMPLE),
            DefaultRate(platform, "comments", Decimal("0.50"), LATER_EXAMPLE),
            DefaultRate(platform, "shares", Decimal("1.88"), AYZENBERG_SHARE_CLICK),
            DefaultRate(platform, "saves", Decimal("0.30"), SAVE_AS_LIKE),
            DefaultRate(platform, "link_clicks", Decimal("1.58"), AYZENBERG_SHARE_CLICK),
        ]
    rates += [
        DefaultRate("x", "impressions", Decimal("9.07"), AYZENBERG_TWITTER),
        DefaultRate("x", "likes", Decimal("0.60"), AYZENBERG_TWITTER),
        DefaultRate("x", "comments", Decimal("2.87"), AYZENBERG_TWITTER),
        DefaultRate("x", "shares", Decimal("1.88"), AYZENBERG_TWITTER),
        DefaultRate("x", "link_clicks", Decimal("1.58"), AYZENBERG_TWITTER),
    ]
    return rates


DEFAULT_RATES: tuple[DefaultRate, ...] = tuple(_card())


def emv_rates_ensure(*, organization: Organization) -> bool:
    """Give ``organization`` a copy of the default card if it has no rate at all.

    Returns True when the defaults were copied. Safe to call concurrently: the unique
    constraint on (organization, platform, metric) turns a race into a no-op."""
    if EmvRate.objects.filter(organization=organization).exists():
        return False
    with transaction.atomic():
        EmvRate.objects.bulk_create(
            [
                EmvRate(
                    organization=organization,
                    platform=rate.platform,
                    metric=rate.metric,
                    value=rate.value,
                    source=rate.source,
                )
                for rate in DEFAULT_RATES
            ],
            ignore_conflicts=True,
        )
    return True
