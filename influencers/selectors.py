"""Reads of the creator directory, scoped through the permission checkpoint.

Nothing here reads a metrics record: the directory with engagement rates and the creator
profile (follower history, post metrics, past campaigns' KPIs) are
``metrics.selectors.creators``, which starts from the reads below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Max, Q, QuerySet

from accounts.selectors import Access, get_object_for, visible
from influencers.models import Influencer, SocialAccount


@dataclass
class DirectoryFilters:
    q: str = ""
    platform: str = ""
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    country: str = ""
    tag: str = ""


def creators_matching(access: Access, filters: DirectoryFilters) -> QuerySet[Influencer]:
    """Creators matching the filters but the engagement floor (``min_engagement``, applied
    with the rates by ``metrics.selectors.creators.directory``), biggest audience first."""
    creators = visible(access, Influencer).annotate(
        max_followers=Max("social_accounts__followers")
    )
    if filters.q:
        matching = SocialAccount.objects.filter(handle__icontains=filters.q.lstrip("@")).values(
            "influencer_id"
        )
        creators = creators.filter(
            Q(name__icontains=filters.q) | Q(email__icontains=filters.q) | Q(pk__in=matching)
        )
    if filters.platform:
        creators = creators.filter(
            pk__in=SocialAccount.objects.filter(platform=filters.platform).values("influencer_id")
        )
    if filters.min_followers is not None:
        creators = creators.filter(max_followers__gte=filters.min_followers)
    if filters.max_followers is not None:
        creators = creators.filter(max_followers__lte=filters.max_followers)
    if filters.country:
        creators = creators.filter(country__iexact=filters.country)
    if filters.tag:
        creators = creators.filter(tags__icontains=f'"{filters.tag.strip().lower()}"')
    return creators.prefetch_related("social_accounts").order_by(
        F("max_followers").desc(nulls_last=True), "name"
    )


def countries_and_tags(access: Access) -> tuple[list[str], list[str]]:
    countries: set[str] = set()
    tags: set[str] = set()
    for country, creator_tags in visible(access, Influencer).values_list("country", "tags"):
        if country:
            countries.add(country)
        tags.update(str(t) for t in (creator_tags or []))
    return sorted(countries), sorted(tags)


def influencer_for(access: Access, pk: Any, *, action: str = "view") -> Influencer:
    return get_object_for(access, Influencer, pk, action=action)  # type: ignore[arg-type]
