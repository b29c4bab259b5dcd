"""Attribution against the database: builds the facts of a conversion or visit, loads the
candidates of a brand (promo codes, clicks, links) and applies the pure rules of
``metrics.tracking.attribution`` to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from django.db.models.functions import Upper

from campaigns.links import parse_landing
from campaigns.models import Brand, PromoCode, TrackingLink
from metrics.models import Click
from metrics.tracking import attribution as rules


def facts_for(
    *,
    brand_id: int,
    occurred_at: dt.datetime,
    codes: Sequence[str] = (),
    click_id: str = "",
    landing_url: str = "",
    note_click_id: str = "",
    utm_campaign: str = "",
    utm_content: str = "",
) -> rules.Facts:
    """The facts of a conversion or visit; explicit UTM values beat the landing URL's."""
    landing = parse_landing(landing_url)
    return rules.Facts(
        occurred_at=occurred_at,
        brand_id=brand_id,
        codes=tuple(c for c in codes if c),
        click_ids=tuple(c for c in (click_id, landing.fb_click, note_click_id) if c),
        utm_campaign=utm_campaign or landing.utm_campaign,
        utm_content=utm_content or landing.utm_content,
    )


class Matched:
    """The rules' answer plus the matched click's row id (for ``matched_click``)."""

    __slots__ = ("partnership_id", "reason", "click_pk")

    def __init__(self, partnership_id: int | None, reason: str, click_pk: int | None) -> None:
        self.partnership_id = partnership_id
        self.reason = reason
        self.click_pk = click_pk


class Candidates(NamedTuple):
    codes: list[rules.CodeCandidate]
    clicks: list[rules.ClickCandidate]
    links: list[rules.LinkCandidate]
    click_pks: dict[str, int]


def attribute_many(
    brand: Brand, facts: Sequence[rules.Facts], *, use_codes: bool = True
) -> list[Matched]:
    """Attribute a batch of one brand's facts with three queries, whatever the batch size."""
    tz = brand.organization.tzinfo
    codes, clicks, links, click_pks = candidates_for(brand, facts, use_codes=use_codes)
    results = []
    for fact in facts:
        answer = rules.attribute(fact, codes=codes, clicks=clicks, links=links, tz=tz)
        results.append(
            Matched(
                answer.partnership_id,
                answer.reason,
                click_pks.get(answer.click_id) if answer.click_id else None,
            )
        )
    return results


def explain_many(brand: Brand, facts: Sequence[rules.Facts]) -> list[list[rules.RuleReason]]:
    """Why each of a batch of one brand's facts did (not) match each rule, from the candidates
    ``attribute_many`` would load (three queries, whatever the batch size)."""
    tz = brand.organization.tzinfo
    codes, clicks, links, _ = candidates_for(brand, facts)
    return [rules.explain(f, codes=codes, clicks=clicks, links=links, tz=tz) for f in facts]


def candidates_for(
    brand: Brand, facts: Sequence[rules.Facts], *, use_codes: bool = True
) -> Candidates:
    """The promo codes, clicks and links ``facts`` could match, narrowed in SQL to the values
    they carry (the rules check every condition again)."""
    wanted_codes = {c.strip().upper() for f in facts for c in f.codes if c.strip()}
    wanted_clicks = {f.click_id for f in facts if f.click_id}
    wanted_campaigns = {f.utm_campaign.strip().upper() for f in facts if f.utm_campaign.strip()}

    codes: list[rules.CodeCandidate] = []
    if use_codes and wanted_codes:
        codes = [
            rules.CodeCandidate(
                code=p.code, partnership_id=p.partnership_id, active_from=p.active_from,
                active_until=p.active_until, promo_code_id=p.pk,
            )
            for p in PromoCode.objects.annotate(upper_code=Upper("code")).filter(
                partnership__campaign__brand=brand, upper_code__in=wanted_codes
            )
        ]
    clicks: list[rules.ClickCandidate] = []
    click_pks: dict[str, int] = {}
    if wanted_clicks:
        for c in Click.objects.filter(click_id__in=wanted_clicks).select_related(
            "link__partnership__campaign"
        ):
            campaign = c.link.partnership.campaign
            click_pks[c.click_id] = c.pk
            clicks.append(
                rules.ClickCandidate(
                    click_id=c.click_id, partnership_id=c.link.partnership_id,
                    brand_id=campaign.brand_id, occurred_at=c.occurred_at,
                    window_days=campaign.attribution_window_days, is_bot=c.is_bot, pk=c.pk,
                )
            )
    links: list[rules.LinkCandidate] = []
    if wanted_campaigns:
        links = [
            rules.LinkCandidate(
                link_id=link.pk, partnership_id=link.partnership_id,
                utm_campaign=link.utm_campaign, utm_content=link.utm_content,
                created_at=link.created_at,
                campaign_start=link.partnership.campaign.start_date,
                campaign_end=link.partnership.campaign.end_date,
                window_days=link.partnership.campaign.attribution_window_days,
            )
            for link in TrackingLink.objects.annotate(upper_campaign=Upper("utm_campaign"))
            # Links without utm_content count too: a utm_campaign alone can name them.
            .filter(partnership__campaign__brand=brand, upper_campaign__in=wanted_campaigns)
            .select_related("partnership__campaign")
        ]

    return Candidates(codes, clicks, links, click_pks)
