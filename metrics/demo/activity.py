"""What the creators' audiences did: posts with their daily metrics and comments, and the
follower history of every brand and creator account."""

from __future__ import annotations

import datetime as dt
import math
import string
from dataclasses import dataclass

from campaigns.models import BrandAccount, Partnership, Post
from metrics.demo.context import DemoContext
from metrics.demo.platforms import Counters, final_counters, post_types, post_url
from metrics.models import Comment, FollowerSnapshot, PostMetrics, Source


@dataclass
class PostPlan:
    """A published post and where its cumulative counters end up."""

    post: Post
    final: Counters

    @property
    def published_at(self) -> dt.datetime:
        assert self.post.published_at is not None
        return self.post.published_at


def seed_posts(ctx: DemoContext, partnership: Partnership) -> list[PostPlan]:
    """The creator's posts for the partnership, each with its metrics and comments, in
    publication order: two on the creator's first account, one on each other."""
    campaign = partnership.campaign
    plans: list[PostPlan] = []
    last_day = min(campaign.end_date, ctx.ago(1))
    for index, account in enumerate(ctx.accounts[partnership.influencer.name]):
        for post_type in post_types(account.platform)[: 2 if index == 0 else 1]:
            offset = ctx.rng.randint(2, 9) + len(plans) * 3
            day = min(campaign.start_date + dt.timedelta(days=offset), last_day)
            external_id = f"{account.platform[:2]}{ctx.token(11, string.digits)}"
            post = Post.objects.create(
                partnership=partnership, social_account=account, platform=account.platform,
                post_type=post_type, url=post_url(account.platform, account.handle, external_id),
                external_id=external_id, published_at=ctx.at(day, ctx.rng.uniform(9, 20)),
                caption=_caption(ctx, partnership),
            )
            plan = PostPlan(
                post, final_counters(ctx.rng, account.platform, account.followers, post_type)
            )
            _seed_snapshots(ctx, plan)
            _seed_comments(ctx, plan)
            plans.append(plan)
            ctx.counts["posts"] += 1
    return sorted(plans, key=lambda plan: plan.published_at)


def _caption(ctx: DemoContext, partnership: Partnership) -> str:
    """The campaign's caption templates in turn (no draw from the generator)."""
    plan = ctx.plan(partnership.campaign)
    template = plan.captions[ctx.counts["posts"] % len(plan.captions)]
    brand = ctx.spec.brands[plan.brand]
    return template.format(brand=brand.name, creator=partnership.influencer.name,
                           hashtag=plan.hashtag, mention=brand.accounts[0][1])


def _seed_snapshots(ctx: DemoContext, plan: PostPlan) -> None:
    """One cumulative snapshot a day from the day after publication, approaching the final
    counters; counters the platform does not report stay null."""
    first = plan.published_at.astimezone(ctx.tz).date() + dt.timedelta(days=1)
    tau = ctx.rng.uniform(1.5, 4.0)
    previous: dict[str, int] = {}
    rows = []
    day = first
    while day < ctx.today:
        age = (day - first).days + 1
        share = 1 - math.exp(-age / tau)
        values: Counters = {}
        for name, final in plan.final.items():
            if final is None:
                values[name] = None
                continue
            value = max(previous.get(name, 0), int(final * share * ctx.rng.uniform(.97, 1.0)))
            previous[name] = value
            values[name] = value
        rows.append(PostMetrics(post=plan.post, captured_at=ctx.at(day, 6),
                                source=Source.CONNECTOR, **values))
        day += dt.timedelta(days=1)
    PostMetrics.objects.bulk_create(rows)
    ctx.counts["post_metrics"] += len(rows)


def _seed_comments(ctx: DemoContext, plan: PostPlan) -> None:
    """A handful of comments in the spec's language, mostly positive, most in the first day
    after publication. Unlabelled, as comments arrive from a connector: the product's own
    pipeline (the KPI recompute) labels them."""
    post, spec = plan.post, ctx.spec
    published = plan.published_at
    hours = max(1, int((ctx.at(ctx.today, 0) - published).total_seconds() // 3600))
    rows = []
    for index in range(ctx.rng.randint(5, 12)):
        pool = ctx.rng.choices([spec.positive, spec.neutral, spec.negative],
                               weights=[6, 3, 2])[0]
        rows.append(Comment(
            post=post, external_id=f"{post.external_id}_{index}", text=ctx.rng.choice(pool),
            posted_at=published + dt.timedelta(
                hours=min(hours - 1, int(ctx.rng.expovariate(1 / 20))),
                minutes=ctx.rng.randint(0, 59)),
            source=Source.CONNECTOR,
        ))
    Comment.objects.bulk_create(rows)
    ctx.counts["comments"] += len(rows)


def seed_follower_history(ctx: DemoContext) -> None:
    """Daily brand-account followers over eight weeks, growing faster while campaigns run;
    weekly snapshots of every creator account."""
    rows: list[FollowerSnapshot] = []
    start = ctx.ago(56)
    for account in BrandAccount.objects.filter(brand__organization=ctx.org).order_by("pk"):
        followers = ctx.rng.randint(18_000, 140_000)
        running = [c for c in ctx.campaigns if c.brand_id == account.brand_id]
        day = start
        while day < ctx.today:
            boost = sum(1 for c in running if c.start_date <= day <= c.end_date)
            followers += int(followers * ctx.rng.uniform(0.0003, 0.0012) * (1 + 3 * boost))
            rows.append(FollowerSnapshot(organization=ctx.org, brand_account=account,
                                         date=day, followers=followers, source=Source.CONNECTOR))
            day += dt.timedelta(days=1)
    for accounts in ctx.accounts.values():
        for creator_account in accounts:
            latest = creator_account.followers or 0
            followers = int(latest * 0.93)
            for week in range(8, -1, -1):
                followers = min(latest, int(followers * ctx.rng.uniform(1.0, 1.02)))
                day = ctx.ago(week * 7 + 1)
                rows.append(FollowerSnapshot(
                    organization=ctx.org, social_account=creator_account, date=day,
                    followers=latest if week == 0 else followers,
                    source=Source.CONNECTOR,
                ))
    FollowerSnapshot.objects.bulk_create(rows, batch_size=1000)
    ctx.counts["follower_snapshots"] = len(rows)
