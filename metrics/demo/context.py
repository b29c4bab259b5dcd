"""The state every step of the demo build shares: where, when, and the one random generator."""

from __future__ import annotations

import datetime as dt
import random
import string
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from accounts.models import Organization
from campaigns.models import Campaign
from influencers.models import Influencer, SocialAccount
from metrics.demo.spec import CampaignSpec, DemoSpec


@dataclass
class DemoContext:
    """One build of a demo organization, the one ``spec`` describes.

    ``rng`` is the only source of randomness for content: the steps draw from it in a fixed
    order, which is what makes two runs identical. ``counts`` collects the rows written, by
    kind, for the command's summary."""

    org: Organization
    today: dt.date
    tz: zoneinfo.ZoneInfo
    rng: random.Random
    spec: DemoSpec
    counts: Counter[str] = field(default_factory=Counter)
    campaigns: list[Campaign] = field(default_factory=list)
    influencers: dict[str, Influencer] = field(default_factory=dict)
    accounts: dict[str, list[SocialAccount]] = field(default_factory=dict)
    plans: dict[int, CampaignSpec] = field(default_factory=dict)  # by campaign id

    def plan(self, campaign: Campaign) -> CampaignSpec:
        """What the spec says of ``campaign``: its link path, code suffix, captions."""
        return self.plans[campaign.pk]

    def at(self, day: dt.date, hour: float = 12.0) -> dt.datetime:
        """``day`` at ``hour`` (fractions are minutes) in the demo's time zone."""
        minutes = int(hour * 60)
        return dt.datetime.combine(day, dt.time(minutes // 60 % 24, minutes % 60), tzinfo=self.tz)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def token(self, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
        """A seeded (so repeatable, not secret) identifier: post ids, order ids, click ids."""
        return "".join(self.rng.choice(alphabet) for _ in range(length))
