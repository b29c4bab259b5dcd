"""Campaign pages: dashboard, the campaign report, editing, the partnership pipeline, links and
codes, brand settings, CSV exports.

Every record is reached through the permission checkpoint (``get_object_for``/``visible``);
writes go through ``campaigns.services`` whose ValidationErrors become form errors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role
from campaigns import exports, reporting, services
from campaigns.forms import (
    BrandAccountForm,
    BrandForm,
    CampaignForm,
    CostForm,
    KpiTargetForm,
    LinkForm,
    PartnershipForm,
    PromoCodeForm,
    StatusMoveForm,
    apply_errors,
    link_defaults,
)
from campaigns.links import build_tracking_url
from campaigns.models import (
    Brand,
    CampaignStatus,
    Cost,
    FunnelStage,
    KpiTarget,
    PartnershipStatus,
    PromoCode,
    TrackingLink,
)
from campaigns.qr import qr_svg
from campaigns.selectors import (
    board_columns,
    brand_accounts_of,
    brands_for,
    campaign_for,
    campaign_report,
    campaigns_for_dashboard,
    costs_of,
    links_of,
    partnership_for,
    promo_codes_of,
    targets_of,
    total_documents,
)

View = Callable[..., HttpResponseBase]
TARGET_LABELS = dict(KpiTarget.Metric.choices)
PIPELINE = [s for s in PartnershipStatus.values if s != PartnershipStatus.DECLINED]


def member_required(view: View) -> View:
    """Signed in and a member of an organization; ``request.access`` is then set."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.access:  # type: ignore[attr-defined]
            return render(request, "accounts/no_organization.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined]


def short_url(link: TrackingLink) -> str:
    return f"{settings.FUNNELBOARD_BASE_URL}/r/{link.slug}"


# --- Dashboard --------------------------------------------------------------------------------
@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    filters = {
        "brand": request.GET.get("brand", ""),
        "stage": request.GET.get("stage", ""),
        "status": request.GET.get("status", ""),
    }
    brand = filters["brand"] if filters["brand"].isdigit() else None
    stage = filters["stage"] if filters["stage"] in FunnelStage.values else None
    status = filters["status"] if filters["status"] in CampaignStatus.values else None
    campaigns = list(campaigns_for_dashboard(access, brand=brand, stage=stage, status=status))
    documents = total_documents(c.pk for c in campaigns)
    rows = []
    for campaign in campaigns:
        doc = documents.get(campaign.pk)
        spend = reporting.number(reporting.value_at(doc, "roi.total_cost"))
        budget = float(campaign.budget)
        rows.append(
            {
                "campaign": campaign,
                "computed": doc is not None,
                "headline": [c for c in reporting.kpi_cards(doc, labels=TARGET_LABELS) if c.headline],
                "spend": reporting.format_value(spend, reporting.MONEY, campaign.currency),
                "budget": reporting.format_value(budget, reporting.MONEY, campaign.currency),
                "spend_share": None if spend is None or not budget else spend / budget * 100,
                "over_budget": spend is not None and budget > 0 and spend > budget,
            }
        )
    context = {
        "rows": rows,
        "filters": filters,
        "brands": brands_for(access),
        "stages": FunnelStage.choices,
        "statuses": CampaignStatus.choices,
        "can_edit": access.has_role(Role.MANAGER),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/dashboard.html#campaign-list", context)
    return render(request, "campaigns/dashboard.html", context)


# --- The campaign report ----------------------------------------------------------------------
def _leaderboard(report: Any, sort: str, direction: str) -> list[dict[str, Any]]:
    rows = []
    currency = report.campaign.currency
    for item in report.partnerships:
        partnership = item["partnership"]
        accounts = list(partnership.influencer.social_accounts.all())
        doc = item["doc"]
        rows.append(
            {
                "partnership": partnership,
                "name": partnership.influencer.name,
                "handle": f"@{accounts[0].handle}" if accounts else "",
                "status": partnership.get_status_display(),
                "doc": doc,
                "cells": [
                    (label, reporting.format_value(reporting.value_at(doc, path), kind, currency))
                    for label, path, kind in reporting.LEADERBOARD_COLUMNS.values()
                ],
            }
        )
    descending = None if direction not in ("asc", "desc") else direction == "desc"
    return reporting.sort_rows(rows, sort, descending)  # type: ignore[return-value]


def _leaderboard_rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The leaderboard's table rows, built in Python: with 200 creators the template engine
    spends most of the page's time on these few thousand cells. Every value is escaped."""
    base = reverse("influencers:detail", args=[0]).removesuffix("0/")
    out = []
    for row in rows:
        cells = "".join(
            f'<td class="num" data-label="{escape(label)}">{escape(value)}</td>'
            for label, value in row["cells"]
        )
        handle = f' <span class="muted small">{escape(row["handle"])}</span>' if row["handle"] else ""
        out.append(
            f'<tr><td data-label="Creator"><a href="{base}{row["partnership"].influencer_id}/">'
            f'{escape(row["name"])}</a>{handle}</td>'
            f'<td data-label="Status">{escape(row["status"])}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — built from escaped values only


def _sort_links(sort: str, direction: str) -> list[dict[str, Any]]:
    links = []
    for key, (label, _, _) in reporting.LEADERBOARD_COLUMNS.items():
        default_desc = key not in reporting.ASCENDING_BY_DEFAULT
        current_desc = (direction == "desc") if direction in ("asc", "desc") else default_desc
        active = key == sort
        next_desc = (not current_desc) if active else default_desc
        links.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "aria_sort": ("descending" if current_desc else "ascending") if active else "none",
                "query": f"?sort={key}&dir={'desc' if next_desc else 'asc'}",
            }
        )
    return links


def _platform_rows(report: Any) -> list[dict[str, Any]]:
    currency = report.campaign.currency
    columns = (
        ("awareness.impressions", reporting.COUNT),
        ("awareness.reach", reporting.COUNT),
        ("engagement.engagements", reporting.COUNT),
        ("engagement.engagement_rate", reporting.PERCENT),
        ("emv.total", reporting.MONEY),
        ("sentiment.net_sentiment", reporting.PERCENT),
        ("coverage.posts", reporting.COUNT),
    )
    return [
        {
            "platform": key,
            "cells": [
                reporting.format_value(reporting.value_at(doc, path), kind, currency)
                for path, kind in columns
            ],
        }
        for key, doc in report.platforms
    ]


def _sentiment_split(sentiment: dict[str, Any]) -> list[dict[str, Any]]:
    names = (("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative"))
    counts = [int(reporting.number(sentiment.get(name)) or 0) for name, _ in names]
    total = sum(counts)
    return [
        {
            "name": name, "label": label, "count": count, "x": x, "width": width,
            "share": f"{count / total * 100:.0f}%" if total else "—",
        }
        for (name, label), count, (x, width) in zip(
            names, counts, reporting.segments(counts), strict=True
        )
    ]


@member_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    report = campaign_report(access, pk)
    doc = report.total
    day_docs = [d for _, d in report.days]
    sort = request.GET.get("sort", "emv")
    if sort not in reporting.LEADERBOARD_COLUMNS:
        sort = "emv"
    direction = request.GET.get("dir", "")
    sentiment = (doc or {}).get("sentiment") or {}
    funnel = reporting.funnel(doc)
    leaderboard = _leaderboard(report, sort, direction)
    total_comments = reporting.number(sentiment.get("total")) or 0
    context = {
        "campaign": report.campaign,
        "report": report,
        "doc": doc,
        "cards": reporting.kpi_cards(doc, day_docs, labels=TARGET_LABELS),
        "chart": reporting.chart_data(report.days),
        "has_days": bool(report.days),
        "funnel": funnel,
        "funnel_height": len(funnel) * 56,
        "leaderboard": leaderboard,
        "leaderboard_html": _leaderboard_rows_html(leaderboard),
        "sort_links": _sort_links(sort, direction),
        "platforms": _platform_rows(report),
        "rates": reporting.rates_used(doc),
        "insights": reporting.insights(doc, day_docs),
        "sentiment_split": _sentiment_split(sentiment),
        "sentiment_total": int(total_comments),
        "can_edit": access.has_role(Role.MANAGER),
        "is_admin": access.has_role(Role.ADMIN),
    }
    if request.htmx and request.GET.get("partial") == "leaderboard":  # type: ignore[attr-defined]
        return render(request, "campaigns/report.html#leaderboard", context)
    return render(request, "campaigns/report.html", context)


@member_required
@require_POST
def campaign_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a recompute of the campaign's KPIs once this request's transaction commits."""
    from metrics.tasks import recompute_campaign_kpis

    campaign = campaign_for(_access(request), pk, action="write")
    transaction.on_commit(lambda: recompute_campaign_kpis.delay(campaign.pk))
    messages.success(request, "Recompute queued — the numbers refresh in a few seconds.")
    return redirect("campaign_detail", pk=campaign.pk)


@member_required
@require_GET
def export_report(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    report = campaign_report(_access(request), pk)
    return _csv_response(
        exports.csv_lines(exports.report_rows(report.campaign.name, report.total)),
        f"{slugify(report.campaign.name) or 'campaign'}-kpis.csv",
    )


@member_required
@require_GET
def export_leaderboard(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    report = campaign_report(_access(request), pk)
    rows = _leaderboard(report, request.GET.get("sort", "emv"), request.GET.get("dir", ""))
    return _csv_response(
        exports.csv_lines(exports.leaderboard_rows(rows)),
        f"{slugify(report.campaign.name) or 'campaign'}-creators.csv",
    )


def _csv_response(lines: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Campaign editing -------------------------------------------------------------------------
@member_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    require_role(access, Role.MANAGER)
    form = CampaignForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("currency"):
            data.pop("currency")
        try:
            campaign = services.campaign_create(access=access, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Campaign “{campaign.name}” created.")
            return redirect("campaign_edit", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@member_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk, action="write")
    form = CampaignForm(request.POST or None, instance=campaign, access=access)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("currency"):
            data.pop("currency")
        try:
            services.campaign_update(access=access, campaign=campaign, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Campaign saved.")
            return redirect("campaign_edit", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", _edit_context(access, campaign, form))


def _edit_context(access: Access, campaign: Any, form: Any, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "campaign": campaign,
        "targets": targets_of(campaign),
        "target_form": extra.get("target_form") or KpiTargetForm(),
        "costs": costs_of(campaign) if access.has_role(Role.ADMIN) else [],
        "cost_form": extra.get("cost_form") or CostForm(campaign=campaign),
        "is_admin": access.has_role(Role.ADMIN),
        "is_owner": access.has_role(Role.OWNER),
    }


@member_required
@require_POST
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk, action="write")
    target_form = KpiTargetForm(request.POST)
    if target_form.is_valid():
        try:
            services.kpi_target_set(access=access, campaign=campaign, **target_form.cleaned_data)
        except ValidationError as error:
            apply_errors(target_form, error)
        else:
            messages.success(request, "Target saved.")
            return redirect(reverse("campaign_edit", args=[campaign.pk]) + "#targets")
    form = CampaignForm(instance=campaign, access=access)
    context = _edit_context(access, campaign, form, target_form=target_form)
    return render(request, "campaigns/campaign_form.html", context, status=400)


@member_required
@require_POST
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    access = _access(request)
    target = get_object_for(access, KpiTarget, target_pk, action="delete")
    if target.campaign_id != int(pk):
        return render(request, "404.html", status=404)
    services.kpi_target_delete(access=access, target=target)
    messages.success(request, "Target removed.")
    return redirect(reverse("campaign_edit", args=[pk]) + "#targets")


@member_required
@require_POST
def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    require_role(access, Role.ADMIN)
    cost_form = CostForm(request.POST, campaign=campaign)
    if cost_form.is_valid():
        try:
            services.cost_create(access=access, campaign=campaign, **cost_form.cleaned_data)
        except ValidationError as error:
            apply_errors(cost_form, error)
        else:
            messages.success(request, "Cost added.")
            return redirect(reverse("campaign_edit", args=[campaign.pk]) + "#costs")
    form = CampaignForm(instance=campaign, access=access)
    context = _edit_context(access, campaign, form, cost_form=cost_form)
    return render(request, "campaigns/campaign_form.html", context, status=400)


@member_required
@require_POST
def cost_delete(request: HttpRequest, pk: int, cost_pk: int) -> HttpResponse:
    access = _access(request)
    cost = get_object_for(access, Cost, cost_pk, action="delete")
    if cost.campaign_id != int(pk):
        return render(request, "404.html", status=404)
    services.cost_delete(access=access, cost=cost)
    messages.success(request, "Cost removed.")
    return redirect(reverse("campaign_edit", args=[pk]) + "#costs")


# --- Partnership pipeline ---------------------------------------------------------------------
def _board_context(access: Access, campaign: Any, form: Any = None) -> dict[str, Any]:
    can_edit = access.has_role(Role.MANAGER)
    columns = []
    for status, label, partnerships in board_columns(campaign):
        cards = []
        for p in partnerships:
            moves = []
            if status in PIPELINE:
                i = PIPELINE.index(status)
                if i > 0:
                    moves.append(("back", PIPELINE[i - 1], PartnershipStatus(PIPELINE[i - 1]).label))
                if i + 1 < len(PIPELINE):
                    moves.append(("next", PIPELINE[i + 1], PartnershipStatus(PIPELINE[i + 1]).label))
                moves.append(("decline", PartnershipStatus.DECLINED, "Declined"))
            else:
                moves.append(("next", PartnershipStatus.PROSPECT, "Prospect"))
            cards.append({"partnership": p, "moves": moves})
        columns.append({"status": status, "label": label, "cards": cards})
    return {
        "campaign": campaign,
        "columns": columns,
        "can_edit": can_edit,
        "is_admin": access.has_role(Role.ADMIN),
        "form": form
        if form is not None
        else (PartnershipForm(access=access, campaign=campaign) if can_edit else None),
    }


@member_required
def partnership_board(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    campaign = campaign_for(access, pk)
    form = None
    if request.method == "POST":
        campaign = campaign_for(access, pk, action="write")
        require_role(access, Role.MANAGER)
        form = PartnershipForm(request.POST, access=access, campaign=campaign)
        if form.is_valid():
            try:
                services.partnership_create(access=access, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Creator added to the campaign.")
                return redirect("partnership_board", pk=campaign.pk)
    context = _board_context(access, campaign, form)
    return render(request, "campaigns/board.html", context, status=400 if form is not None else 200)


@member_required
@require_POST
def partnership_move(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    move = StatusMoveForm(request.POST)
    if not move.is_valid():
        return HttpResponse("Unknown status.", status=400)
    services.partnership_set_status(
        access=access, partnership=partnership, status=move.cleaned_data["status"]
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/board.html#board", _board_context(access, partnership.campaign))
    return redirect("partnership_board", pk=partnership.campaign_id)


@member_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk, action="write")
    form = PartnershipForm(
        request.POST or None, instance=partnership, access=access,
        campaign=partnership.campaign, creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(access=access, partnership=partnership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Partnership saved.")
            return redirect("partnership_board", pk=partnership.campaign_id)
    return render(
        request, "campaigns/partnership_form.html",
        {"form": form, "partnership": partnership, "is_admin": access.has_role(Role.ADMIN)},
    )


# --- Links and promo codes --------------------------------------------------------------------
def _links_context(access: Access, partnership: Any, **forms: Any) -> dict[str, Any]:
    can_edit = access.has_role(Role.MANAGER)
    defaults = link_defaults(partnership)
    link_form = forms.get("link_form") or LinkForm(initial=defaults)
    links = [{"link": link, "short_url": short_url(link), "full_url": _full(link)}
             for link in links_of(partnership)]
    return {
        "partnership": partnership,
        "campaign": partnership.campaign,
        "links": links,
        "codes": promo_codes_of(partnership),
        "link_form": link_form if can_edit else None,
        "code_form": (forms.get("code_form") or PromoCodeForm()) if can_edit else None,
        "preview": _preview(link_form.data if link_form.is_bound else defaults),
        "can_edit": can_edit,
    }


def _full(link: TrackingLink) -> str:
    try:
        return build_tracking_url(
            link.destination_url, utm_source=link.utm_source, utm_medium=link.utm_medium,
            utm_campaign=link.utm_campaign, utm_content=link.utm_content, utm_term=link.utm_term,
        )
    except ValueError:
        return link.destination_url


def _preview(data: Any) -> dict[str, str]:
    try:
        return {
            "url": build_tracking_url(
                str(data.get("destination_url") or ""),
                **{name: str(data.get(name) or "") for name in (
                    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")},
            ),
            "error": "",
        }
    except ValueError as error:
        return {"url": "", "error": str(error)}


@member_required
def partnership_links(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk)
    if request.method == "POST":
        require_role(access, Role.MANAGER)
        link_form = LinkForm(request.POST)
        if link_form.is_valid():
            try:
                link = services.link_create(
                    access=access, partnership=partnership, **link_form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(link_form, error)
            else:
                messages.success(request, f"Link created: {short_url(link)}")
                return redirect("partnership_links", pk=partnership.pk)
        context = _links_context(access, partnership, link_form=link_form)
        return render(request, "campaigns/links.html", context, status=400)
    return render(request, "campaigns/links.html", _links_context(access, partnership))


@member_required
@require_GET
def link_preview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership_for(_access(request), pk)
    return render(request, "campaigns/links.html#preview", {"preview": _preview(request.GET)})


@member_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    link = get_object_for(access, TrackingLink, pk, action="delete")
    services.link_delete(access=access, link=link)
    messages.success(request, "Link removed (disabled if it already had clicks).")
    return redirect("partnership_links", pk=link.partnership_id)


@member_required
@require_GET
def link_qr(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_for(_access(request), TrackingLink, pk)
    response = HttpResponse(qr_svg(short_url(link)), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{link.slug}.svg"'
    return response


@member_required
@require_POST
def promo_code_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    partnership = partnership_for(access, pk)
    require_role(access, Role.MANAGER)
    code_form = PromoCodeForm(request.POST)
    if code_form.is_valid():
        try:
            code = services.promo_code_create(
                access=access, partnership=partnership, **code_form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(code_form, error)
        else:
            messages.success(request, f"Promo code {code.code} created.")
            return redirect(reverse("partnership_links", args=[partnership.pk]) + "#codes")
    context = _links_context(access, partnership, code_form=code_form)
    return render(request, "campaigns/links.html", context, status=400)


@member_required
@require_POST
def promo_code_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    code = get_object_for(access, PromoCode, pk, action="delete")
    services.promo_code_delete(access=access, code=code)
    messages.success(request, f"Promo code {code.code} deleted.")
    return redirect(reverse("partnership_links", args=[code.partnership_id]) + "#codes")


# --- Brands -----------------------------------------------------------------------------------
@member_required
def brand_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = None
    if access.has_role(Role.ADMIN):
        form = BrandForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
            try:
                brand = services.brand_create(access=access, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Brand {brand.name} created.")
                return redirect("brand_settings", pk=brand.pk)
    elif request.method == "POST":
        require_role(access, Role.ADMIN)
    return render(
        request, "campaigns/brands.html",
        {"brands": brands_for(access), "form": form, "is_admin": access.has_role(Role.ADMIN)},
    )


@member_required
def brand_settings(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    brand = get_object_for(access, Brand, pk)
    is_admin = access.has_role(Role.ADMIN)
    form = account_form = None
    if is_admin:
        form = BrandForm(request.POST or None, instance=brand)
        account_form = BrandAccountForm()
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("shopify_webhook_secret"):
                data.pop("shopify_webhook_secret")  # empty keeps the stored secret
            try:
                services.brand_update(access=access, brand=brand, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Brand saved.")
                return redirect("brand_settings", pk=brand.pk)
    elif request.method == "POST":
        require_role(access, Role.ADMIN)
    return render(request, "campaigns/brand_settings.html", _brand_context(brand, form, account_form, is_admin))


def _brand_context(brand: Brand, form: Any, account_form: Any, is_admin: bool) -> dict[str, Any]:
    base = settings.FUNNELBOARD_BASE_URL
    return {
        "brand": brand,
        "form": form,
        "account_form": account_form,
        "accounts": brand_accounts_of(brand),
        "is_admin": is_admin,
        "webhook_url": f"{base}/hooks/shopify/{brand.key}",
        "pixel_snippet": f'<script src="{base}/t/{brand.key}/pixel.js" async></script>',
        "has_secret": bool(brand.shopify_webhook_secret),
        "webhook_topics": ["Order creation", "Order payment", "Order update", "Order cancellation",
                           "Refund create"],
    }


@member_required
@require_POST
def brand_account_add(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    brand = get_object_for(access, Brand, pk)
    require_role(access, Role.ADMIN)
    account_form = BrandAccountForm(request.POST)
    if account_form.is_valid():
        try:
            services.brand_account_create(access=access, brand=brand, **account_form.cleaned_data)
        except ValidationError as error:
            apply_errors(account_form, error)
        else:
            messages.success(request, "Brand account added.")
            return redirect(reverse("brand_settings", args=[brand.pk]) + "#accounts")
    context = _brand_context(brand, BrandForm(instance=brand), account_form, True)
    return render(request, "campaigns/brand_settings.html", context, status=400)
