"""Pages of the tracking side: unattributed conversions (assign by hand, re-run attribution)
and the conversions CSV import."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, visible
from campaigns.models import Brand, Partnership
from config.validation import BulkItemError
from metrics import registry
from metrics.api.bulk import BulkRejected, validate_items
from metrics.api.conversions import CONVERSIONS
from metrics.display import KIND_NAMES, headline_text
from metrics.models import AttributionReason, Conversion, Source
from metrics.services.conversions import (
    codes_of,
    conversion_assign,
    conversions_ingest,
    conversions_reattribute,
)
from metrics.tracking import attribution as rules
from metrics.tracking.attribution_candidates import explain_many, facts_for

CSV_COLUMNS = (
    "external_id", "kind", "amount", "currency", "occurred_at", "promo_code", "click_id",
    "landing_url",
)
REQUIRED_COLUMNS = ("external_id", "occurred_at")


def _access(request: HttpRequest) -> Access:
    access: Access | None = request.access  # type: ignore[attr-defined]
    if not access:
        raise Http404(_("No organization."))
    return access


def _brand_from(request: HttpRequest, access: Access, value: str | None) -> Brand | None:
    if not value:
        return None
    return get_object_for(access, Brand, value)  # another organization's brand → 404


@login_required
def unattributed(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    brands = list(visible(access, Brand).order_by("name"))
    brand = _brand_from(request, access, request.GET.get("brand"))
    conversions = (
        visible(access, Conversion)
        .filter(attribution=AttributionReason.UNATTRIBUTED)
        .select_related("brand__organization")
        .order_by("-occurred_at", "-pk")
    )
    if brand is not None:
        conversions = conversions.filter(brand=brand)
    page = Paginator(conversions, 50).get_page(request.GET.get("page"))
    can_edit = access.has_role(Role.MANAGER)
    partnerships: dict[int, list[Partnership]] = {}
    if can_edit:
        shown_brands = {c.brand_id for c in page.object_list}
        for p in (
            visible(access, Partnership)
            .filter(campaign__brand_id__in=shown_brands)
            .select_related("campaign", "influencer")
            .order_by("campaign__name", "influencer__name")
        ):
            partnerships.setdefault(p.campaign.brand_id, []).append(p)
    reasons = _reasons(list(page.object_list), partnerships if can_edit else {})
    rows = [(c, partnerships.get(c.brand_id, []), reasons[c.pk]) for c in page.object_list]
    return render(
        request,
        "metrics/unattributed.html",
        {
            "brands": brands, "brand": brand, "page": page, "rows": rows,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    conversion = get_object_for(
        access, Conversion, pk, action="write", queryset=Conversion.objects.select_related("brand")
    )
    try:
        partnership = get_object_for(
            access, Partnership, request.POST.get("partnership"),
            queryset=Partnership.objects.select_related("campaign", "influencer"),
        )
    except Http404:
        messages.error(request, _("Choose a partnership to assign the conversion to."))
        return redirect(_back(request))
    try:
        conversion_assign(access=access, conversion=conversion, partnership=partnership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Conversion %(id)s assigned to %(partnership)s.") % {
            "id": conversion.external_id, "partnership": partnership,
        })
    return redirect(_back(request))


@login_required
@require_POST
def reattribute(request: HttpRequest, brand_id: int) -> HttpResponse:
    access = _access(request)
    brand = get_object_for(access, Brand, brand_id)
    if not access.has_role(Role.MANAGER):
        raise PermissionDenied(_("Only managers can re-run attribution."))
    found = conversions_reattribute(access=access, brand=brand)
    messages.success(request, ngettext(
        "Attribution re-run for %(brand)s: %(count)s conversion found a partnership.",
        "Attribution re-run for %(brand)s: %(count)s conversions found a partnership.",
        found,
    ) % {"brand": brand.name, "count": found})
    return redirect(f"{reverse('metrics:unattributed')}?brand={brand.pk}")


FIX_LABELS = {
    rules.FIX_ADD_CODE: gettext_lazy("Add the code to the partnership that handed it out"),
    rules.FIX_CODE_DATES: gettext_lazy("Widen the code's active dates"),
    rules.FIX_WINDOW: gettext_lazy("Extend the campaign's attribution window"),
    rules.FIX_UTM: gettext_lazy("Fix the link's UTM values, or add a link with these"),
}
RULE_NAMES = {
    rules.PROMO_CODE: gettext_lazy("Promo code"), rules.LINK: gettext_lazy("Click"),
    rules.UTM: gettext_lazy("UTM"),
}


def _reasons(
    conversions: list[Conversion], partnerships: dict[int, list[Partnership]]
) -> dict[int, list[dict[str, Any]]]:
    """Per conversion, each rule's verdict (``rules.explain``, three queries per brand on the
    page) and, for a manager, where to fix it: a partnership's codes and links page, or the
    campaign's settings. Without a known partnership, one link per partnership of the brand."""
    by_brand: dict[int, list[Conversion]] = {}
    for conversion in conversions:
        by_brand.setdefault(conversion.brand_id, []).append(conversion)
    known = {p.pk: p for group in partnerships.values() for p in group}
    out: dict[int, list[dict[str, Any]]] = {}
    for group in by_brand.values():
        facts = [
            facts_for(
                brand_id=c.brand_id, occurred_at=c.occurred_at, codes=codes_of(c.promo_code),
                click_id=c.click_id, landing_url=c.landing_url, utm_campaign=c.utm_campaign,
                utm_content=c.utm_content,
            )
            for c in group
        ]
        for conversion, verdicts in zip(group, explain_many(group[0].brand, facts), strict=True):
            out[conversion.pk] = [
                {
                    "rule": RULE_NAMES[v.rule], "matched": v.matched, "text": v.text,
                    "fix": FIX_LABELS.get(v.fix, ""),
                    "fix_links": _fix_links(v, known, partnerships.get(conversion.brand_id, [])),
                }
                for v in verdicts
            ]
    return out


def _fix_links(
    verdict: rules.RuleReason, known: dict[int, Partnership], options: list[Partnership]
) -> list[tuple[str, str]]:
    """``(label, url)`` of the pages where the fix is made (empty for a viewer: no options)."""
    if verdict.fix not in FIX_LABELS or not options:
        return []
    partnership = known.get(verdict.partnership_id or 0)
    if verdict.fix == rules.FIX_WINDOW and partnership is not None:
        campaign = partnership.campaign
        return [(campaign.name, reverse("campaign_edit", args=[campaign.pk]))]
    chosen = [partnership] if partnership is not None else options
    return [
        (f"{p.influencer.name} — {p.campaign.name}", reverse("partnership_links", args=[p.pk]))
        for p in chosen
    ]


def _back(request: HttpRequest) -> str:
    target = reverse("metrics:unattributed")
    brand = request.POST.get("brand")
    return f"{target}?brand={brand}" if brand and brand.isdigit() else target


# --- CSV import -----------------------------------------------------------------------------------
class ConversionImportForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=Brand.objects.none(), label=gettext_lazy("Brand"))
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV with a header row: %(columns)s. occurred_at is ISO 8601 with an offset; kind "
            "defaults to sale."
        ) % {"columns": ", ".join(CSV_COLUMNS)}
        self.fields["brand"].queryset = visible(access, Brand).order_by("name")  # type: ignore[attr-defined]


def parse_csv(raw: bytes, brand: Brand) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows as API items, or the problems with the file as a whole."""
    if len(raw) > settings.CSV_UPLOAD_MAX_BYTES:
        return [], [_("The file is too large.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text.")]
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [_("The header row lacks: %(columns)s.") % {"columns": ", ".join(missing)}]
    unknown = [h for h in header if h and h not in CSV_COLUMNS and h != "brand"]
    if unknown:
        return [], [_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}]
    items = []
    for row in reader:
        item: dict[str, Any] = {"brand": brand.pk}
        for key, value in row.items():
            if key is None or key.strip() == "brand":
                continue
            value = (value or "").strip()
            if value:
                item[key.strip()] = value
        items.append(item)
        if len(items) > settings.CSV_UPLOAD_MAX_ROWS:
            return [], [
                _("At most %(count)s rows per file.") % {"count": settings.CSV_UPLOAD_MAX_ROWS}
            ]
    if not items:
        return [], [_("The file has no rows.")]
    return items, []


@login_required
def conversions_import(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if not access.has_role(Role.MANAGER):
        raise PermissionDenied(_("Only managers can import conversions."))
    errors: list[str] = []
    form = ConversionImportForm(request.POST or None, request.FILES or None, access=access)
    if request.method == "POST" and form.is_valid():
        brand = form.cleaned_data["brand"]
        items, errors = parse_csv(form.cleaned_data["file"].read(), brand)
        result: tuple[int, int] | None = None
        if not errors:
            errors, result = _ingest_rows(access, items)
        if result is not None:
            created, updated = result
            messages.success(
                request, _("Imported: %(created)s new, %(updated)s updated conversions.") % {
                    "created": created, "updated": updated,
                }
            )
            return redirect(f"{reverse('metrics:unattributed')}?brand={brand.pk}")
    return render(request, "metrics/conversions_import.html", {"form": form, "errors": errors,
                                                              "columns": CSV_COLUMNS})


def _ingest_rows(
    access: Access, items: list[dict[str, Any]]
) -> tuple[list[str], tuple[int, int] | None]:
    """Validate every row (all problems, numbered like the file: the header is row 1) and store
    them all, or nothing: ``(errors, (created, updated) or None)``."""
    errors: list[str] = []
    for index, item in enumerate(items):
        _values, problems = CONVERSIONS.clean(_typed(item))
        if problems:
            errors.extend(_describe(index, problems))
        if len(errors) >= 50:
            errors.append(_("… and possibly more; fix these first."))
            return errors, None
    if errors:
        return errors, None
    try:
        cleaned = validate_items(access, CONVERSIONS, [_typed(i) for i in items])
        result = conversions_ingest(
            organization=access.organization, items=cleaned, source=Source.CSV
        )
    except BulkRejected as exc:
        detail: dict[str, Any] = exc.detail  # type: ignore[assignment]
        return _describe(detail["index"] or 0, detail["errors"]), None
    except BulkItemError as exc:
        return _describe(exc.index or 0, exc.errors), None
    return [], result


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    # CSV cells are text; the item checks expect JSON types for these.
    typed = dict(item)
    if "is_cancelled" in typed:
        typed["is_cancelled"] = str(typed["is_cancelled"]).lower() in ("1", "true", "yes")
    return typed


def _describe(index: int, problems: dict[str, list[str]]) -> list[str]:
    row = index + 2  # the header is row 1
    return [
        _("Row %(row)s, %(field)s: %(message)s") % {
            "row": row, "field": field, "message": " ".join(str(m) for m in msgs),
        }
        for field, msgs in problems.items()
    ]


@login_required
def kpi_help(request: HttpRequest) -> HttpResponse:
    """The methodology page: every KPI's definition and formula, from the registry (the same
    text as docs/kpis.md). Signed-in only; it shows no organization data."""
    groups = [
        {
            "group": group,
            "number": number if group.kpi else None,
            "headline": headline_text(group),
            "fields": [
                {"path": f"{group.name}.{f.name}", "field": f, "kind": KIND_NAMES[f.kind]}
                for f in group.fields
            ],
        }
        for number, group in enumerate(registry.GROUPS, start=1)
    ]
    stages = [(stage, registry.headlines(stage)) for stage in registry.STAGES]
    return render(request, "metrics/help_kpis.html", {"groups": groups, "stages": stages})
