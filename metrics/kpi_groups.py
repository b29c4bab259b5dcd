"""The KPI document's groups and fields, as data (pure: no Django): every field's label, kind,
definition and formula, whether it takes a target, its export column and, for a share, why it can
pass 100%. ``metrics.registry`` looks them up; everything else reads them through it.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT, PERCENT, RATIO, MONEY = "count", "percent", "ratio", "money"
KINDS = (COUNT, PERCENT, RATIO, MONEY)
# Before the registry the display called a ratio a "multiple"; kept so templates using
# ``|kpi:"multiple"`` keep working.
MULTIPLE = RATIO
STAGES = ("TOFU", "MOFU", "BOFU")
# Shapes of a field: one value, a mapping of values (``by_source``), or a list of records.
VALUE, MAPPING, RECORDS = "value", "mapping", "records"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    definition: str
    formula: str = ""
    # A KPI target may be set on it (``KpiTarget.metric`` is then ``group.name``).
    target: bool = False
    # Its column in the creators' CSV export and the leaderboard (``None``: not a column).
    export: str | None = None
    shape: str = VALUE
    # Omitted from some documents (only present when there is something to say).
    optional: bool = False
    # Why this share can pass 100% — shown beside the value whenever it does (a percent that
    # is not a share of something, like ROI, has none and needs none).
    over_100: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    title: str
    definition: str
    formula: str
    # The field the KPI card shows, and the ones listed under it.
    main: str
    details: tuple[str, ...]
    fields: tuple[Field, ...]
    # (stage, position): the funnel stages this group is a headline KPI for, in that order.
    headline: tuple[tuple[str, int], ...] = ()
    # The coverage counter saying how many posts fed this KPI (post-based groups only).
    coverage_field: str | None = None
    # False for the coverage block: it describes the data, it is not one of the nine KPIs.
    kpi: bool = True
    # A short name where space is tight (the admin summary): "CTR", "EMV", "ROI".
    short: str = ""

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name}.{name}")


def _f(name: str, label: str, kind: str, definition: str, formula: str = "", **kw: object
       ) -> Field:
    return Field(name, label, kind, definition, formula, **kw)  # type: ignore[arg-type]


_COVERAGE_COUNTERS = (
    "impressions", "reach", "views", "likes", "comments", "shares", "saves", "mentions",
    "link_clicks",
)

GROUPS: tuple[Group, ...] = (
    Group(
        "awareness", "Brand awareness",
        "How many times the campaign's posts were seen.",
        "Σ impressions over the posts (views where a platform reports no impressions)",
        "impressions", ("reach", "video_views"),
        (
            _f("impressions", "Impressions", COUNT,
               "Times the posts were displayed; a post without impressions counts its views.",
               "Σ impressions (or views) of each post's latest metrics", target=True,
               export="impressions"),
            _f("reach", "Reach", COUNT, "Accounts that saw a post, summed over the posts.",
               "Σ reach", target=True),
            _f("video_views", "Video views", COUNT, "Video plays reported by the platforms.",
               "Σ views", target=True),
        ),
        headline=(("TOFU", 0),), coverage_field="impressions",
    ),
    Group(
        "engagement", "Engagement rate",
        "How strongly the people reached interacted with the posts.",
        "(likes + comments + shares + saves) ÷ reach × 100, over posts that report reach",
        "engagement_rate", ("engagements", "engagement_rate_followers"),
        (
            _f("likes", "Likes", COUNT, "Likes on the posts.", "Σ likes"),
            _f("comments", "Comments", COUNT, "Comments on the posts.", "Σ comments"),
            _f("shares", "Shares", COUNT, "Shares of the posts.", "Σ shares"),
            _f("saves", "Saves", COUNT, "Saves of the posts.", "Σ saves"),
            _f("engagements", "Engagements", COUNT,
               "All interactions with the posts.", "likes + comments + shares + saves",
               target=True, export="engagements"),
            _f("mentions", "Mentions", COUNT, "Mentions of the brand reported for the posts.",
               "Σ mentions"),
            _f("engagement_rate", "Engagement rate", PERCENT,
               "Interactions per person reached.",
               "engagements ÷ reach × 100, both over the posts that report reach",
               target=True, export="engagement_rate",
               over_100="One person reached can like, comment, share and save, so "
                         "interactions can outnumber the people reached."),
            _f("engagement_rate_followers", "Rate by followers", PERCENT,
               "Interactions per follower of the posting account; the creators list and "
               "profile show this rate.",
               "engagements ÷ followers × 100 over posts whose account's follower count at "
               "publication is known (the latest follower snapshot on or before that day, "
               "else the account's count)"),
        ),
        headline=(("TOFU", 1),), coverage_field="reach",
        short="Engagement",
    ),
    Group(
        "conversion", "Conversions",
        "Sales, demos and trials the campaign brought.",
        "Counted sales, demos and trials; conversion rate = link and UTM conversions ÷ "
        "unique clicks × 100 (promo-code and manual conversions need no click and stay out "
        "of the rate)",
        "conversions", ("revenue", "click_conversions", "conversion_rate"),
        (
            _f("conversions", "Conversions", COUNT,
               "Sales, demos and trials attributed to the campaign, without refunded ones.",
               "Σ counted conversions by promo code, link, UTM and manual assignment", target=True,
               export="conversions"),
            _f("revenue", "Revenue", MONEY,
               "Net revenue of the counted conversions in the campaign currency.",
               "Σ net amount of counted conversions", target=True, export="revenue"),
            _f("click_conversions", "Link & UTM conversions", COUNT,
               "Conversions that followed a click on a tracking link or arrived with the "
               "campaign's UTM tags: the ones the funnel follows from clicks.",
               "conversions by link + conversions by UTM"),
            _f("conversion_rate", "Conversion rate", PERCENT,
               "Share of unique clicks that converted, counting only link and UTM conversions.",
               "link and UTM conversions ÷ unique clicks × 100", target=True,
               over_100="UTM-tagged visits convert without a click on a tracking link, so link "
                        "and UTM conversions can outnumber unique clicks."),
            _f("by_source", "Conversions by source", COUNT,
               "The conversions split by how they were attributed.", shape=MAPPING),
            _f("excluded_other_currency", "Excluded (other currency)", COUNT,
               "Conversions left out of revenue because no exchange rate was known."),
        ),
        headline=(("BOFU", 0),),
        short="Conversion",
    ),
    Group(
        "audience_growth", "Audience growth",
        "How the brand's own follower count grew during the campaign.",
        "Brand followers at the end − at the start; growth rate = gained ÷ start × 100",
        "followers_gained", ("growth_rate", "leads"),
        (
            _f("followers_start", "Followers at start", COUNT,
               "Brand followers on the campaign's first day."),
            _f("followers_end", "Followers at end", COUNT,
               "Brand followers on the campaign's last day (or today)."),
            _f("followers_gained", "Followers gained", COUNT,
               "Followers the brand gained over the campaign.", "followers at end − at start",
               target=True),
            _f("growth_rate", "Growth rate", PERCENT, "Follower growth relative to the start.",
               "followers gained ÷ followers at start × 100",
               over_100="The brand more than doubled its followers during the campaign."),
            _f("leads", "Leads", COUNT, "Sign-ups, downloads, registrations and leads attributed to the campaign.",
               "Σ lead events", target=True),
            _f("overlapping_campaigns", "Overlapping campaigns", COUNT,
               "Other campaigns of the brand running at the same time (growth is brand-wide).",
               shape=RECORDS, optional=True),
        ),
        headline=(("MOFU", 0),),
    ),
    Group(
        "ctr", "Click-through rate",
        "How often a post's audience clicked the campaign's links.",
        "Clicks on the campaign's links ÷ impressions × 100",
        "ctr", ("clicks", "unique_clicks"),
        (
            _f("clicks", "Clicks", COUNT, "Human clicks on the campaign's tracking links.",
               "Σ clicks (bots excluded)", target=True, export="clicks"),
            _f("unique_clicks", "Unique clicks", COUNT,
               "Human clicks counted once per visitor within about a day (25 hours)."),
            _f("impressions", "Impressions", COUNT, "The impressions the rate is taken over.",
               "as awareness.impressions"),
            _f("ctr", "Click-through rate", PERCENT, "Clicks per hundred impressions.",
               "clicks ÷ impressions × 100", target=True, export="ctr",
               over_100="Clicks count every click on the links, wherever the link was seen "
                        "(shared, bookmarked, in a bio), not only from the counted impressions."),
        ),
        headline=(("TOFU", 2), ("MOFU", 2), ("BOFU", 2)),
        short="CTR",
    ),
    Group(
        "traffic", "Traffic",
        "Visits to the brand's site that came from the campaign.",
        "Site visits attributed to the campaign; visit conversion = link and UTM "
        "conversions ÷ visits × 100",
        "visits", ("unique_visitors", "visit_conversion_rate"),
        (
            _f("visits", "Visits", COUNT, "Site visits recorded by the pixel for the campaign.",
               "Σ visits", target=True),
            _f("unique_visitors", "Unique visitors", COUNT, "Distinct visitors among them."),
            _f("visit_conversion_rate", "Visit conversion", PERCENT,
               "Share of visits that converted.", "link and UTM conversions ÷ visits × 100",
               over_100="A conversion reported by the shop or the API needs no visit recorded "
                        "by the pixel, so conversions can outnumber visits."),
        ),
        headline=(("MOFU", 1), ("BOFU", 3)),
    ),
    Group(
        "emv", "Earned media value",
        "What the campaign's reach and engagement would have cost as paid media.",
        "Σ posts Σ metric reported value × rate (platform, metric); exposures per 1,000",
        "total", (),
        (
            _f("total", "Earned media value", MONEY, "The value of all posts at the rate card.",
               "Σ value × rate; impressions, reach and views priced per 1,000", target=True,
               export="emv"),
            _f("by_platform", "EMV by platform", MONEY, "The value split by platform.",
               shape=MAPPING),
            _f("rates_used", "Rates used", MONEY,
               "The rate card applied: platform, metric, value and where the rate came from.",
               shape=RECORDS),
        ),
        headline=(("TOFU", 3),),
        short="EMV",
    ),
    Group(
        "roi", "Return on investment",
        "What the campaign returned for what it cost. A campaign with costs and no revenue "
        "(sign-ups and leads carry none) keeps its ROI of −100 in the document and the API; "
        "the report shows it as \"no revenue tracked\" and points to the cost per lead.",
        "(revenue − total cost) ÷ total cost × 100; ROAS = revenue ÷ total cost; "
        "CPL = total cost ÷ leads",
        "roi", ("roas", "total_cost", "cpa", "cpl"),
        (
            _f("revenue", "Revenue", MONEY, "As conversion.revenue.", "as conversion.revenue"),
            _f("total_cost", "Total cost", MONEY,
               "Fees, products, commissions and every other cost of the campaign.",
               "Σ costs", export="total_cost"),
            _f("cost_breakdown", "Cost breakdown", MONEY, "The total cost by category.",
               shape=MAPPING),
            _f("roi", "ROI", PERCENT,
               "Profit per hundred spent; null without costs, −100 with costs and no revenue "
               "(shown as \"no revenue tracked\" on the report).",
               "(revenue − total cost) ÷ total cost × 100", target=True, export="roi"),
            _f("roas", "ROAS", RATIO, "Revenue per unit spent.", "revenue ÷ total cost",
               target=True),
            _f("cpm", "CPM", MONEY, "Cost per thousand impressions.",
               "total cost ÷ impressions × 1,000"),
            _f("cpe", "CPE", MONEY, "Cost per engagement.", "total cost ÷ engagements"),
            _f("cpc", "CPC", MONEY, "Cost per click.", "total cost ÷ clicks"),
            _f("cpa", "CPA", MONEY, "Cost per conversion.", "total cost ÷ conversions",
               export="cpa"),
            _f("cpl", "CPL", MONEY,
               "Cost per lead: what one sign-up, download, registration or lead cost; null "
               "without leads.",
               "total cost ÷ audience_growth.leads", export="cpl"),
        ),
        headline=(("MOFU", 3), ("BOFU", 1)),
        short="ROI",
    ),
    Group(
        "sentiment", "Brand sentiment",
        "Whether the comments on the posts speak well of the brand.",
        "(positive − negative comments) ÷ all comments × 100 (VADER compound ±0.05)",
        "net_sentiment", ("positive", "negative", "total"),
        (
            _f("positive", "Positive", COUNT,
               "Comments labelled positive: VADER compound ≥ 0.05, unless a manager corrected "
               "the label (a correction wins and survives recomputes; VADER misreads some "
               "negations)."),
            _f("neutral", "Neutral", COUNT, "Comments labelled neutral (same rule)."),
            _f("negative", "Negative", COUNT,
               "Comments labelled negative: VADER compound ≤ −0.05, unless corrected."),
            _f("total", "Comments", COUNT, "All scored comments."),
            _f("unread", "Not read", COUNT,
               "Comments in a language the sentiment model does not read (it reads English): "
               "in no label and not in the net sentiment, until a manager labels them."),
            _f("net_sentiment", "Net sentiment", PERCENT,
               "Positive minus negative share of the comments.",
               "(positive − negative) ÷ all comments × 100", target=True),
        ),
        headline=(("TOFU", 4),),
        short="Sentiment",
    ),
    Group(
        "coverage", "Coverage",
        "How many posts fed the numbers, and how many reported each counter.",
        "posts counted; for each counter, the posts that report it",
        "posts", (),
        (
            _f("posts", "Posts", COUNT, "Posts with at least one metrics snapshot."),
            *(
                _f(c, f"Posts reporting {c.replace('_', ' ')}", COUNT,
                   f"Posts whose platform reports {c.replace('_', ' ')}.")
                for c in _COVERAGE_COUNTERS
            ),
            _f("impressions_from_views", "Impressions counted by views", COUNT,
               "Posts whose impressions were taken from their views."),
        ),
        kpi=False,
    ),
)
