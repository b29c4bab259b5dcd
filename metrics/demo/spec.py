"""What one demo organization is made of, as data: who signs in, the brands, the creators, the
campaigns with their deals, costs and targets, and the texts its audiences write.

``catalogue_en`` (the English demo, ``demo``) and ``catalogue_fa`` (the Persian one,
``demo-fa``) each hold one ``DemoSpec``; the building steps are the same for both and draw every
text, amount and name from the spec on the ``DemoContext``. Money is in the brand's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class Deal(NamedTuple):
    creator: str  # a ``Creator.name`` of the same spec
    status: str
    fee: str
    product: str  # product value
    commission: str  # per cent


class Creator(NamedTuple):
    name: str
    country: str
    tags: list[str]
    accounts: list[tuple[str, str, int]]  # (platform, handle, followers)
    email: str
    code: str  # the stem of the creator's promo codes: MAYA → MAYASUMMER, MAYA15
    bio: str  # the influencer's notes


class BrandSpec(NamedTuple):
    name: str
    website: str
    currency: str
    accounts: list[tuple[str, str]]  # (platform, handle)


class CampaignSpec(NamedTuple):
    brand: int  # index into ``DemoSpec.brands``
    name: str
    slug: str
    stage: str
    status: str
    started_days_ago: int
    ends_in_days: int
    budget: str
    objective: str
    path: str  # where the tracking links land on the brand's site
    code_suffix: str  # promo codes: the creator's stem + this; "" hands out none
    # Templates with {brand}, {creator}, {hashtag} and {mention} (the brand's first handle).
    captions: tuple[str, ...]
    hashtag: str
    deals: tuple[Deal, ...]


class CostRow(NamedTuple):
    stage: str  # the campaign of that funnel stage
    category: str
    amount: str
    days: int  # after the campaign's start
    note: str


class TargetRow(NamedTuple):
    stage: str
    metric: str
    value: str


class DraftStep(NamedTuple):
    """A draft the creator sends and what the reviewer decides. ``caption`` is a template with
    {mention} (the brand's handle), {hashtag} (the campaign's) and {code} (the creator's)."""

    caption: str
    decision: str = ""  # a ``ReviewDecision``; "" leaves the draft waiting for review
    comment: str = ""  # the reviewer's (a template like ``caption``)


class DeliverablePlan(NamedTuple):
    creator: str  # a ``Creator.name`` with a committed partnership in the brief's campaign
    platform: str
    format: str
    due_in_days: int  # from today, negative when past due; a live one is due on its post's day
    fee_share: str
    pay_on: str  # a ``PayOn``
    drafts: tuple[DraftStep, ...] = ()
    live: bool = False  # delivered by the partnership's post on ``platform`` (once approved)


class BriefPlan(NamedTuple):
    """The brief of one campaign: version 1, then version 2 with other key messages. Both
    require the campaign's hashtag and the brand's handle and leave the disclosure wording to
    the organization's default set."""

    stage: str  # the campaign it briefs
    goal: str
    key_messages: tuple[str, str]  # version 1, version 2
    dos: str
    donts: str
    forbidden: tuple[str, ...]
    links_and_codes: str
    first_sent_to: str  # the creator who was sent version 1 before version 2 replaced it
    deliverables: tuple[DeliverablePlan, ...]
    payment_reference: str  # of the ledger line the demo marks paid


class CreatorLogin(NamedTuple):
    """A creator portal login bound to one of the spec's creators."""

    username: str
    password: str
    email: str
    creator: str  # a ``Creator.name``


@dataclass(frozen=True)
class DemoSpec:
    """One demo organization, its demo user, and everything built inside it."""

    slug: str
    name: str
    time_zone: str
    default_language: str  # the organization's; "" leaves it to each reader's browser
    username: str
    password: str
    email: str
    first_name: str
    last_name: str
    seed: int
    brands: tuple[BrandSpec, ...]
    creators: tuple[Creator, ...]
    campaigns: tuple[CampaignSpec, ...]  # one per funnel stage
    costs: tuple[CostRow, ...]
    targets: tuple[TargetRow, ...]
    positive: tuple[str, ...]
    neutral: tuple[str, ...]
    negative: tuple[str, ...]
    basket: Decimal  # the price of one item in the brands' shops
    welcome_code: str  # a shop code no creator holds: its orders stay unattributed
    click_countries: tuple[str, ...]
    # The organization's EMV card: the shipped default card times this (a card priced in
    # another currency than the defaults' dollars); None leaves the defaults to the engine.
    emv_scale: Decimal | None = None
    # The partnership workflow: a brief, deliverables, drafts and reviews, a creator login.
    brief: BriefPlan | None = None
    creator_login: CreatorLogin | None = None

    def creator(self, name: str) -> Creator:
        return next(creator for creator in self.creators if creator.name == name)

    def campaign(self, stage: str) -> CampaignSpec:
        return next(campaign for campaign in self.campaigns if campaign.stage == stage)
