"""The client-ready KPI workbook (openpyxl): sheets "KPIs" (every value and the targets),
"By creator" (the leaderboard) and "EMV rates" (the rate card used, with its sources).

The rows are the CSV export's (``campaigns.exports``); here they get number formats by kind
(thousands separators, 2 places, "%" and "×") and column widths. Text is always stored as
text, never as a formula, so a creator named ``=HYPERLINK(...)`` stays a name.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from campaigns import exports
from metrics import registry
from metrics.registry import value_at

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    registry.COUNT: "#,##0",
    registry.MONEY: "#,##0.00",
    registry.PERCENT: '#,##0.00"%"',
    registry.RATIO: '#,##0.00"×"',
}
BOLD = Font(bold=True)


def _append(sheet: Worksheet, row: Sequence[Any], bold: bool = False) -> None:
    sheet.append([None if value == "" else value for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even when it starts with "="
        if bold:
            cell.font = BOLD


def _fit(sheet: Worksheet) -> None:
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def _kpi_sheet(sheet: Worksheet, campaign_name: str, doc: Mapping[str, Any]) -> None:
    for number, heading in enumerate(exports.heading_rows(campaign_name, doc)):
        _append(sheet, heading, bold=number == 0)
    _append(sheet, [])
    _append(sheet, exports.texts(exports.KPI_HEADER), bold=True)
    for row in exports.kpi_rows(doc):
        kind = registry.field(f"{row[0]}.{row[1].split('.')[0]}").kind
        _append(sheet, row)
        sheet.cell(sheet.max_row, 5).number_format = FORMATS[kind]
    targets = list(exports.target_rows(doc))
    if targets:
        _append(sheet, [])
        _append(sheet, exports.texts(exports.TARGET_HEADER), bold=True)
        for target, path in zip(targets, (t.get("metric") for t in doc.get("targets") or []),
                                strict=False):
            _append(sheet, target)
            kind = registry.kind(str(path)) if exports.is_registry_path(str(path)) else registry.COUNT
            for column in (3, 4):
                sheet.cell(sheet.max_row, column).number_format = FORMATS[kind]
            sheet.cell(sheet.max_row, 5).number_format = FORMATS[registry.PERCENT]
    sheet.freeze_panes = "A6"


def _creator_sheet(sheet: Worksheet, rows: Iterable[Mapping[str, Any]], currency: str, *,
                   with_costs: bool) -> None:
    columns = exports.leaderboard_columns(with_costs=with_costs)
    header = [_("Creator"), _("Handle"), _("Status")]
    for _name, path in columns:
        kind = registry.kind(path)
        suffix = exports.unit(kind, currency)
        header.append(f"{registry.metric_label(path)} ({suffix})" if suffix else
                      str(registry.metric_label(path)))
    _append(sheet, header, bold=True)
    for row in rows:
        doc = row["doc"]
        _append(sheet, [row["name"], row["handle"], row["status"]])
        for i, (_name, path) in enumerate(columns, start=4):
            kind = registry.kind(path)
            cell = sheet.cell(sheet.max_row, i, exports.rounded(value_at(doc, path), kind))
            cell.number_format = FORMATS[kind]
    sheet.freeze_panes = "B2"


def _rate_sheet(sheet: Worksheet, doc: Mapping[str, Any]) -> None:
    _append(sheet, exports.texts(exports.RATE_HEADER), bold=True)
    for row in exports.rate_rows(doc):
        _append(sheet, row)
        sheet.cell(sheet.max_row, 3).number_format = "#,##0.00##"
    sheet.freeze_panes = "A2"


def kpi_workbook(campaign_name: str, doc: Mapping[str, Any] | None,
                 creators: Iterable[Mapping[str, Any]], *, with_costs: bool) -> bytes:
    """The workbook as bytes: KPIs, By creator, EMV rates."""
    doc = doc or {}
    book = Workbook()
    kpi_sheet = book.active
    assert kpi_sheet is not None
    kpi_sheet.title = _("KPIs")
    _kpi_sheet(kpi_sheet, campaign_name, doc)
    _creator_sheet(book.create_sheet(_("By creator")), creators, str(doc.get("currency") or ""),
                   with_costs=with_costs)
    _rate_sheet(book.create_sheet(_("EMV rates")), doc)
    for sheet in book.worksheets:
        _fit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
