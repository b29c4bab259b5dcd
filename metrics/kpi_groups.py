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


def N_(text: str) -> str:  # noqa: N802 — gettext's name for a text marked, not translated
    """Marks a text for ``makemessages`` (the project's command adds the keyword); the
    registry's ``translated`` translates it when shown, the data keeps the English."""
    return text


def _f(name: str, label: str, kind: str, definition: str, formula: str = "", **kw: object
       ) -> Field:
    return Field(name, label, kind, definition, formula, **kw)  # type: ignore[arg-type]


# The coverage counters: (name, label, definition).
_COVERAGE_COUNTERS = (
    ("impressions", N_("Posts reporting impressions"),
     N_("Posts whose platform reports impressions.")),
    ("reach", N_("Posts reporting reach"), N_("Posts whose platform reports reach.")),
    ("views", N_("Posts reporting views"), N_("Posts whose platform reports views.")),
    ("likes", N_("Posts reporting likes"), N_("Posts whose platform reports likes.")),
    ("comments", N_("Posts reporting comments"), N_("Posts whose platform reports comments.")),
    ("shares", N_("Posts reporting shares"), N_("Posts whose platform reports shares.")),
    ("saves", N_("Posts reporting saves"), N_("Posts whose platform reports saves.")),
    ("mentions", N_("Posts reporting mentions"), N_("Posts whose platform reports mentions.")),
    ("link_clicks", N_("Posts reporting link clicks"),
     N_("Posts whose platform reports link clicks.")),
)

GROUPS: tuple[Group, ...] = (
    Group(
        "awareness", N_("Brand awareness"),
        N_("How many times the campaign's posts were seen."),
        N_("Σ impressions over the posts (views where a platform reports no impressions)"),
        "impressions", ("reach", "video_views"),
        (
            _f("impressions", N_("Impressions"), COUNT,
               N_("Times the posts were displayed; a post without impressions counts its views."),
               N_("Σ impressions (or views) of each post's latest metrics"), target=True,
               export="impressions"),
            _f("reach", N_("Reach"), COUNT, N_("Accounts that saw a post, summed over the posts."),
               N_("Σ reach"), target=True),
            _f("video_views", N_("Video views"), COUNT,
               N_("Video plays reported by the platforms."), N_("Σ views"), target=True),
        ),
        headline=(("TOFU", 0),), coverage_field="impressions",
    ),
    Group(
        "engagement", N_("Engagement rate"),
        N_("How strongly the people reached interacted with the posts."),
        N_("(likes + comments + shares + saves) ÷ reach × 100, over posts that report reach"),
        "engagement_rate", ("engagements", "engagement_rate_followers"),
        (
            _f("likes", N_("Likes"), COUNT, N_("Likes on the posts."), N_("Σ likes")),
            _f("comments", N_("Comments"), COUNT, N_("Comments on the posts."), N_("Σ comments")),
            _f("shares", N_("Shares"), COUNT, N_("Shares of the posts."), N_("Σ shares")),
            _f("saves", N_("Saves"), COUNT, N_("Saves of the posts."), N_("Σ saves")),
            _f("engagements", N_("Engagements"), COUNT,
               N_("All interactions with the posts."), N_("likes + comments + shares + saves"),
               target=True, export="engagements"),
            _f("mentions", N_("Mentions"), COUNT,
               N_("Mentions of the brand reported for the posts."), N_("Σ mentions")),
            _f("engagement_rate", N_("Engagement rate"), PERCENT,
               N_("Interactions per person reached."),
               N_("engagements ÷ reach × 100, both over the posts that report reach"),
               target=True, export="engagement_rate",
               over_100=N_("One person reached can like, comment, share and save, so "
                            "interactions can outnumber the people reached.")),
            _f("engagement_rate_followers", N_("Rate by followers"), PERCENT,
               N_("Interactions per follower of the posting account; the creators list and "
                  "profile show this rate."),
               N_("engagements ÷ followers × 100 over posts whose account's follower count at "
                  "publication is known (the latest follower snapshot on or before that day, "
                  "else the account's count)")),
        ),
        headline=(("TOFU", 1),), coverage_field="reach",
        short=N_("Engagement"),
    ),
    Group(
        "conversion", N_("Conversions"),
        N_("Sales, demos and trials the campaign brought."),
        N_("Counted sales, demos and trials; conversion rate = link and UTM conversions ÷ "
           "unique clicks × 100 (promo-code and manual conversions need no click and stay out "
           "of the rate)"),
        "conversions", ("revenue", "click_conversions", "conversion_rate"),
        (
            _f("conversions", N_("Conversions"), COUNT,
               N_("Sales, demos and trials attributed to the campaign, without refunded ones."),
               N_("Σ counted conversions by promo code, link, UTM and manual assignment"),
               target=True, export="conversions"),
            _f("revenue", N_("Revenue"), MONEY,
               N_("Net revenue of the counted conversions in the campaign currency."),
               N_("Σ net amount of counted conversions"), target=True, export="revenue"),
            _f("click_conversions", N_("Link & UTM conversions"), COUNT,
               N_("Conversions that followed a click on a tracking link or arrived with the "
                  "campaign's UTM tags: the ones the funnel follows from clicks."),
               N_("conversions by link + conversions by UTM")),
            _f("conversion_rate", N_("Conversion rate"), PERCENT,
               N_("Share of unique clicks that converted, counting only link and UTM conversions."),
               N_("link and UTM conversions ÷ unique clicks × 100"), target=True,
               over_100=N_("UTM-tagged visits convert without a click on a tracking link, so link "
                           "and UTM conversions can outnumber unique clicks.")),
            _f("by_source", N_("Conversions by source"), COUNT,
               N_("The conversions split by how they were attributed."), shape=MAPPING),
            _f("excluded_other_currency", N_("Excluded (other currency)"), COUNT,
               N_("Conversions left out of revenue because no exchange rate was known.")),
        ),
        headline=(("BOFU", 0),),
        short=N_("Conversion"),
    ),
    Group(
        "audience_growth", N_("Audience growth"),
        N_("How the brand's own follower count grew during the campaign."),
        N_("Brand followers at the end − at the start; growth rate = gained ÷ start × 100"),
        "followers_gained", ("growth_rate", "leads"),
        (
            _f("followers_start", N_("Followers at start"), COUNT,
               N_("Brand followers on the campaign's first day.")),
            _f("followers_end", N_("Followers at end"), COUNT,
               N_("Brand followers on the campaign's last day (or today).")),
            _f("followers_gained", N_("Followers gained"), COUNT,
               N_("Followers the brand gained over the campaign."),
               N_("followers at end − at start"), target=True),
            _f("growth_rate", N_("Growth rate"), PERCENT,
               N_("Follower growth relative to the start."),
               N_("followers gained ÷ followers at start × 100"),
               over_100=N_("The brand more than doubled its followers during the campaign.")),
            _f("leads", N_("Leads"), COUNT,
               N_("Sign-ups, downloads, registrations and leads attributed to the campaign."),
               N_("Σ lead events"), target=True),
            _f("overlapping_campaigns", N_("Overlapping campaigns"), COUNT,
               N_("Other campaigns of the brand running at the same time (growth is brand-wide)."),
               shape=RECORDS, optional=True),
        ),
        headline=(("MOFU", 0),),
    ),
    Group(
        "ctr", N_("Click-through rate"),
        N_("How often a post's audience clicked the campaign's links."),
        N_("Clicks on the campaign's links ÷ impressions × 100"),
        "ctr", ("clicks", "unique_clicks"),
        (
            _f("clicks", N_("Clicks"), COUNT, N_("Human clicks on the campaign's tracking links."),
               N_("Σ clicks (bots excluded)"), target=True, export="clicks"),
            _f("unique_clicks", N_("Unique clicks"), COUNT,
               N_("Human clicks counted once per visitor within about a day (25 hours).")),
            _f("impressions", N_("Impressions"), COUNT,
               N_("The impressions the rate is taken over."), N_("as awareness.impressions")),
            _f("ctr", N_("Click-through rate"), PERCENT, N_("Clicks per hundred impressions."),
               N_("clicks ÷ impressions × 100"), target=True, export="ctr",
               over_100=N_("Clicks count every click on the links, wherever the link was "
                           "seen (shared, bookmarked, in a bio), not only from the counted "
                           "impressions.")),
        ),
        headline=(("TOFU", 2), ("MOFU", 2), ("BOFU", 2)),
        short="CTR",
    ),
    Group(
        "traffic", N_("Traffic"),
        N_("Visits to the brand's site that came from the campaign."),
        N_("Site visits attributed to the campaign; visit conversion = link and UTM "
           "conversions ÷ visits × 100"),
        "visits", ("unique_visitors", "visit_conversion_rate"),
        (
            _f("visits", N_("Visits"), COUNT,
               N_("Site visits recorded by the pixel for the campaign."), N_("Σ visits"),
               target=True),
            _f("unique_visitors", N_("Unique visitors"), COUNT,
               N_("Distinct visitors among them.")),
            _f("visit_conversion_rate", N_("Visit conversion"), PERCENT,
               N_("Share of visits that converted."), N_("link and UTM conversions ÷ visits × 100"),
               over_100=N_("A conversion reported by the shop or the API needs no visit recorded "
                           "by the pixel, so conversions can outnumber visits.")),
        ),
        headline=(("MOFU", 1), ("BOFU", 3)),
    ),
    Group(
        "emv", N_("Earned media value"),
        N_("What the campaign's reach and engagement would have cost as paid media."),
        N_("Σ posts Σ metric reported value × rate (platform, metric); exposures per 1,000"),
        "total", (),
        (
            _f("total", N_("Earned media value"), MONEY,
               N_("The value of all posts at the rate card."),
               N_("Σ value × rate; impressions, reach and views priced per 1,000"), target=True,
               export="emv"),
            _f("by_platform", N_("EMV by platform"), MONEY, N_("The value split by platform."),
               shape=MAPPING),
            _f("rates_used", N_("Rates used"), MONEY,
               N_("The rate card applied: platform, metric, value and where the rate came from."),
               shape=RECORDS),
        ),
        headline=(("TOFU", 3),),
        short="EMV",
    ),
    Group(
        "roi", N_("Return on investment"),
        N_("What the campaign returned for what it cost. A campaign with costs and no revenue "
           "(sign-ups and leads carry none) keeps its ROI of −100 in the document and the API; "
           "the report shows it as \"no revenue tracked\" and points to the cost per lead."),
        N_("(revenue − total cost) ÷ total cost × 100; ROAS = revenue ÷ total cost; "
           "CPL = total cost ÷ leads"),
        "roi", ("roas", "total_cost", "cpa", "cpl"),
        (
            _f("revenue", N_("Revenue"), MONEY, N_("As conversion.revenue."),
               N_("as conversion.revenue")),
            _f("total_cost", N_("Total cost"), MONEY,
               N_("Fees, products, commissions and every other cost of the campaign."),
               N_("Σ costs"), export="total_cost"),
            _f("cost_breakdown", N_("Cost breakdown"), MONEY, N_("The total cost by category."),
               shape=MAPPING),
            _f("roi", "ROI", PERCENT,
               N_("Profit per hundred spent; null without costs, −100 with costs and no revenue "
                  "(shown as \"no revenue tracked\" on the report)."),
               N_("(revenue − total cost) ÷ total cost × 100"), target=True, export="roi"),
            _f("roas", "ROAS", RATIO, N_("Revenue per unit spent."), N_("revenue ÷ total cost"),
               target=True),
            _f("cpm", "CPM", MONEY, N_("Cost per thousand impressions."),
               N_("total cost ÷ impressions × 1,000")),
            _f("cpe", "CPE", MONEY, N_("Cost per engagement."), N_("total cost ÷ engagements")),
            _f("cpc", "CPC", MONEY, N_("Cost per click."), N_("total cost ÷ clicks")),
            _f("cpa", "CPA", MONEY, N_("Cost per conversion."), N_("total cost ÷ conversions"),
               export="cpa"),
            _f("cpl", "CPL", MONEY,
               N_("Cost per lead: what one sign-up, download, registration or lead cost; null "
                  "without leads."),
               N_("total cost ÷ audience_growth.leads"), export="cpl"),
        ),
        headline=(("MOFU", 3), ("BOFU", 1)),
        short="ROI",
    ),
    Group(
        "sentiment", N_("Brand sentiment"),
        N_("Whether the comments on the posts speak well of the brand."),
        N_("(positive − negative comments) ÷ all comments × 100 (VADER compound ±0.05)"),
        "net_sentiment", ("positive", "negative", "total"),
        (
            _f("positive", N_("Positive"), COUNT,
               N_("Comments labelled positive: VADER compound ≥ 0.05, unless a manager corrected "
                  "the label (a correction wins and survives recomputes; VADER misreads some "
                  "negations).")),
            _f("neutral", N_("Neutral"), COUNT, N_("Comments labelled neutral (same rule).")),
            _f("negative", N_("Negative"), COUNT,
               N_("Comments labelled negative: VADER compound ≤ −0.05, unless corrected.")),
            _f("total", N_("Comments"), COUNT, N_("All scored comments.")),
            _f("unread", N_("Not read"), COUNT,
               N_("Comments in a language the sentiment model does not read (it reads English): "
                  "in no label and not in the net sentiment, until a manager labels them.")),
            _f("net_sentiment", N_("Net sentiment"), PERCENT,
               N_("Positive minus negative share of the comments."),
               N_("(positive − negative) ÷ all comments × 100"), target=True),
        ),
        headline=(("TOFU", 4),),
        short=N_("Sentiment"),
    ),
    Group(
        "coverage", N_("Coverage"),
        N_("How many posts fed the numbers, and how many reported each counter."),
        N_("posts counted; for each counter, the posts that report it"),
        "posts", (),
        (
            _f("posts", N_("Posts"), COUNT, N_("Posts with at least one metrics snapshot.")),
            *(
                _f(name, label, COUNT, definition)
                for name, label, definition in _COVERAGE_COUNTERS
            ),
            _f("impressions_from_views", N_("Impressions counted by views"), COUNT,
               N_("Posts whose impressions were taken from their views.")),
        ),
        kpi=False,
    ),
)
