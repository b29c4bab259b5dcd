"""The ledger for accounting: one row per line, as CSV (streamed) or a workbook.

Columns are stable machine names and values (``fee``, ``accrued``, ``bank_transfer``) so a
finance team's import does not depend on the reader's language; dates are the organization's
local days (ISO 8601). Text cells go through the report exports' helpers, which defuse what a
spreadsheet would run as a formula (``campaigns.exports.safe_cell``, text-typed cells in the
workbook); amounts are numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import Organization
from campaigns import exports_xlsx
from campaigns.exports import csv_lines
from payouts.models import PayoutLine

HEADER = (
    "line_id", "creator", "campaign", "brand", "kind", "description", "amount", "currency",
    "status", "accrued_on", "approved_on", "approved_by", "paid_on", "method", "reference",
)
AMOUNT_COLUMN = HEADER.index("amount") + 1


def _local_day(value: dt.datetime | None, organization: Organization) -> str:
    return value.astimezone(organization.tzinfo).date().isoformat() if value else ""


def ledger_rows(lines: Iterable[PayoutLine], organization: Organization
                ) -> Iterator[list[Any]]:
    """The header, then one row per line (lines with ``select_related`` of partnership,
    influencer, campaign, brand and approver)."""
    yield list(HEADER)
    for line in lines:
        campaign = line.partnership.campaign
        approver = line.approved_by
        yield [
            line.pk, line.partnership.influencer.name, campaign.name, campaign.brand.name,
            line.kind, line.description, line.amount, line.currency, line.status,
            _local_day(line.accrued_at, organization), _local_day(line.approved_at, organization),
            (approver.get_username() if approver else ""),
            line.paid_on.isoformat() if line.paid_on else "", line.method, line.reference,
        ]


def ledger_csv(lines: Iterable[PayoutLine], organization: Organization) -> Iterator[str]:
    return csv_lines(ledger_rows(lines, organization))


def ledger_workbook(lines: Iterable[PayoutLine], organization: Organization) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Payouts")
    rows = ledger_rows(lines, organization)
    exports_xlsx._append(sheet, next(rows), bold=True)
    for row in rows:
        exports_xlsx._append(sheet, row)
        sheet.cell(sheet.max_row, AMOUNT_COLUMN).number_format = "#,##0.00"
    sheet.freeze_panes = "B2"
    exports_xlsx._fit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(organization: Organization, month: dt.date | None, extension: str) -> str:
    suffix = f"-{month:%Y-%m}" if month else ""
    return f"{organization.slug or 'organization'}-payouts{suffix}.{extension}"
