"""CSV import of post metrics, comments and follower counts: validate, preview, then write.

The file is read as a stream (``csv`` over the uploaded file, a chunk of rows at a time), never
loaded whole, so a 100,000-row file stays far below 200 MB. ``validate`` checks every row and
reports the bad ones by row number (the header is row 1, as in a spreadsheet) and writes
nothing; cells are parsed here, and whether a row is a valid item is decided by the kind's rules
in ``metrics.validation``, the same as for the API and the forms. ``run`` validates and writes
chunk by chunk inside one transaction and rolls all of it back if any row fails: an import is
all or nothing. Writes go through
``metrics.services.ingestion``, the same code as the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.selectors import scoped
from campaigns.models import BrandAccount, Post
from config.validation import Errors, Item
from influencers.models import SocialAccount
from metrics.models import COUNTERS, Source
from metrics.services.ingestion import (
    comments_ingest,
    follower_snapshots_ingest,
    post_metrics_ingest,
)
from metrics.validation import (
    MAX_COUNT,
    comment_errors,
    follower_snapshot_errors,
    post_metrics_errors,
)

CHUNK = 2000
MAX_REPORTED_ERRORS = 200
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    preview: list[dict[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.rows > 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)


class ImportFailed(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{report.error_count} row(s) failed")
        self.report = report


class RowProblem(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


# --- Cell parsers -----------------------------------------------------------------------------
def _int(value: str, column: str, *, required: bool = False) -> int | None:
    text = value.strip()
    if not text:
        if required:
            raise RowProblem(column, _("is required"))
        return None  # not reported stays NULL, never 0
    if not text.isdigit() or not text.isascii():
        raise RowProblem(column, _("“%(value)s” is not a whole number ≥ 0") % {"value": text[:40]})
    if len(text) > 19 or int(text) > MAX_COUNT:
        raise RowProblem(column, _("“%(value)s” is too large") % {"value": text[:40]})
    return int(text)


def _datetime(value: str, column: str, organization: Organization) -> datetime:
    text = value.strip()
    if not text:
        raise RowProblem(column, _("is required"))
    try:
        parsed = parse_datetime(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        parsed = None
    if parsed is None:
        day = _try_date(text)
        if day is None:
            raise RowProblem(column, _(
                "“%(value)s” is not a date-time like 2026-03-01T12:00:00Z"
            ) % {"value": text[:40]})
        parsed = datetime(day.year, day.month, day.day, tzinfo=organization.tzinfo)
    if timezone.is_naive(parsed):
        # A time without an offset is read in the organization's time zone.
        parsed = timezone.make_aware(parsed, organization.tzinfo)
    return parsed


def _try_date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _date(value: str, column: str) -> date:
    text = value.strip()
    if not text:
        raise RowProblem(column, _("is required"))
    parsed = _try_date(text)
    if parsed is None:
        raise RowProblem(column, _("“%(value)s” is not a date like 2026-03-01") % {
            "value": text[:40],
        })
    return parsed


def _text(value: str, column: str) -> str:
    text = value.strip()
    if not text:
        raise RowProblem(column, _("is required"))
    return text


# --- The three kinds of file ------------------------------------------------------------------
Parsed = dict[str, Any]


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: Any  # lazily translated: str() or a template shows it in the active language
    required: tuple[str, ...]
    optional: tuple[str, ...]
    parse: Callable[[dict[str, str], Organization], Parsed]
    # What makes a parsed row a valid item (metrics.validation).
    rules: Callable[[Item], Errors]
    # Resolve the ids in a chunk of parsed rows to the organization's records (one query per
    # related model), replacing them in place; returns the ids that do not exist.
    resolve: Callable[[list[tuple[int, Parsed]], Organization], list[RowError]]
    ingest: Callable[..., tuple[int, int]]
    example: str

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


def _parse_post_metrics(row: dict[str, str], organization: Organization) -> Parsed:
    item: Parsed = {
        "post": _int(row.get("post", ""), "post", required=True),
        "captured_at": _datetime(row.get("captured_at", ""), "captured_at", organization),
    }
    for name in COUNTERS:
        item[name] = _int(row.get(name, "") or "", name)
    return item


def _parse_comment(row: dict[str, str], organization: Organization) -> Parsed:
    return {
        "post": _int(row.get("post", ""), "post", required=True),
        "external_id": _text(row.get("external_id", ""), "external_id"),
        "text": _text(row.get("text", ""), "text"),
        "posted_at": _datetime(row.get("posted_at", ""), "posted_at", organization),
    }


def _parse_followers(row: dict[str, str], organization: Organization) -> Parsed:
    brand_account = _int(row.get("brand_account", "") or "", "brand_account")
    social_account = _int(row.get("social_account", "") or "", "social_account")
    return {
        "brand_account": brand_account,
        "social_account": social_account,
        "date": _date(row.get("date", ""), "date"),
        "followers": _int(row.get("followers", ""), "followers", required=True),
    }


def _resolve(
    rows: list[tuple[int, Parsed]], organization: Organization, column: str, model: type
) -> list[RowError]:
    wanted = {item[column] for _number, item in rows if item.get(column) is not None}
    if not wanted:
        return []
    records: Any = scoped(organization, model).filter(pk__in=wanted)
    found: dict[Any, Any] = {obj.pk: obj for obj in records}
    errors = []
    for number, item in rows:
        value = item.get(column)
        if value is None:
            continue
        if value in found:
            item[column] = found[value]
        else:
            errors.append(RowError(number, column, _("no %(column)s with id %(id)s") % {
                "column": column.replace("_", " "), "id": value,
            }))
    return errors


def _resolve_posts(rows: list[tuple[int, Parsed]], organization: Organization) -> list[RowError]:
    return _resolve(rows, organization, "post", Post)


def _resolve_accounts(rows: list[tuple[int, Parsed]], organization: Organization) -> list[RowError]:
    return [
        *_resolve(rows, organization, "brand_account", BrandAccount),
        *_resolve(rows, organization, "social_account", SocialAccount),
    ]


KINDS: dict[str, ImportKind] = {
    kind.key: kind
    for kind in (
        ImportKind(
            key="post-metrics",
            title=gettext_lazy("Post metrics"),
            required=("post", "captured_at"),
            optional=COUNTERS,
            parse=_parse_post_metrics,
            rules=post_metrics_errors,
            resolve=_resolve_posts,
            ingest=post_metrics_ingest,
            example="post,captured_at,impressions,reach,views,likes,comments,shares,saves,"
            "mentions,link_clicks\n12,2026-03-03T12:00:00Z,15000,11000,,820,41,12,30,,95",
        ),
        ImportKind(
            key="comments",
            title=gettext_lazy("Comments"),
            required=("post", "external_id", "text", "posted_at"),
            optional=(),
            parse=_parse_comment,
            rules=comment_errors,
            resolve=_resolve_posts,
            ingest=comments_ingest,
            example='post,external_id,text,posted_at\n12,17900001,"Love this, ordered one!",'
            "2026-03-03T09:15:00Z",
        ),
        ImportKind(
            key="follower-snapshots",
            title=gettext_lazy("Follower counts"),
            required=("date", "followers"),
            optional=("brand_account", "social_account"),
            parse=_parse_followers,
            rules=follower_snapshot_errors,
            resolve=_resolve_accounts,
            ingest=follower_snapshots_ingest,
            example="brand_account,social_account,date,followers\n3,,2026-03-01,48210\n,57,"
            "2026-03-01,125400",
        ),
    )
}


# --- Reading ----------------------------------------------------------------------------------
def text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    """The uploaded bytes as text, decoded as they are read (a BOM from Excel is skipped)."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="", errors="strict")


def _chunks(
    kind: ImportKind, organization: Organization, stream: IO[str], report: ImportReport
) -> Iterator[list[Parsed]]:
    """Valid items, a chunk at a time; every problem goes to ``report``."""
    max_rows = settings.CSV_UPLOAD_MAX_ROWS
    reader = csv.reader(stream)
    try:
        header = [name.strip() for name in next(reader, [])]
    except (UnicodeDecodeError, csv.Error) as error:
        report.add(RowError(1, "", _("the file is not a UTF-8 CSV (%(error)s)") % {"error": error}))
        return
    report.columns = header
    if not header:
        report.add(RowError(1, "", _("the file is empty")))
        return
    missing = [c for c in kind.required if c not in header]
    unknown = [c for c in header if c not in kind.columns]
    for column in missing:
        report.add(RowError(1, column, _("the header has no “%(column)s” column") % {
            "column": column,
        }))
    for column in unknown:
        report.add(RowError(1, column, _("unknown column “%(column)s” (expected: %(expected)s)") % {
            "column": column, "expected": ", ".join(kind.columns),
        }))
    if missing or unknown:
        return
    width = len(header)
    pending: list[tuple[int, Parsed]] = []
    number = 1  # the header is row 1, as in a spreadsheet; blank rows keep their number
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width:
                report.add(RowError(number, "", _(
                    "the row has %(cells)s cells, the header %(width)s"
                ) % {"cells": len(cells), "width": width}))
                continue
            report.rows += 1
            if report.rows > max_rows:
                report.add(RowError(number, "", _("the file has more than %(max)s rows") % {
                    "max": f"{max_rows:,}",
                }))
                return
            row = dict(zip(header, cells + [""] * (width - len(cells)), strict=True))
            if len(report.preview) < PREVIEW_ROWS:
                report.preview.append(row)
            try:
                item = kind.parse(row, organization)
            except RowProblem as problem:
                report.add(RowError(number, problem.column, str(problem)))
            else:
                problems = _rule_errors(number, kind.rules(item))
                for line in problems:
                    report.add(line)
                if not problems:
                    pending.append((number, item))
            if len(pending) >= CHUNK:
                yield _resolved(kind, organization, pending, report)
                pending = []
    except UnicodeDecodeError:
        report.add(RowError(
            number + 1, "", _("the file is not UTF-8 text (save it as “CSV UTF-8”)")
        ))
        return
    except csv.Error as error:
        report.add(RowError(number + 1, "", _("the CSV cannot be read: %(error)s") % {
            "error": error,
        }))
        return
    if pending:
        yield _resolved(kind, organization, pending, report)


def _rule_errors(number: int, errors: Errors) -> list[RowError]:
    """The rules' errors as report lines; a message given for several columns (exactly one
    account) is one line, on the first of them."""
    lines: list[RowError] = []
    seen: set[str] = set()
    for name, messages in errors.items():
        column = "" if name == NON_FIELD_ERRORS else name
        for message in messages:
            if message not in seen:
                seen.add(message)
                lines.append(RowError(number, column, message))
    return lines


def _resolved(
    kind: ImportKind, organization: Organization, pending: list[tuple[int, Parsed]],
    report: ImportReport,
) -> list[Parsed]:
    errors = kind.resolve(pending, organization)
    bad = {error.row for error in errors}
    for error in errors:
        report.add(error)
    return [item for number, item in pending if number not in bad]


def validate(kind: ImportKind, organization: Organization, stream: IO[str]) -> ImportReport:
    """Check every row; write nothing."""
    report = ImportReport(kind=kind.key)
    for _chunk in _chunks(kind, organization, stream, report):
        pass
    if report.rows == 0 and report.error_count == 0:
        report.add(RowError(2, "", _("the file has a header but no rows")))
    return report


def run(kind: ImportKind, organization: Organization, stream: IO[str]) -> ImportReport:
    """Validate and write every row in one transaction; ``ImportFailed`` (nothing written) when
    any row is bad. The preview step (``validate``) lists every bad row; a run stops at the
    first bad chunk."""
    report = ImportReport(kind=kind.key)
    with transaction.atomic():
        for items in _chunks(kind, organization, stream, report):
            if report.error_count:
                raise ImportFailed(report)
            if items:
                created, updated = kind.ingest(
                    organization=organization, items=items, source=Source.CSV
                )
                report.created += created
                report.updated += updated
        if report.rows == 0 and not report.error_count:
            report.add(RowError(2, "", _("the file has a header but no rows")))
        if report.error_count:
            raise ImportFailed(report)
    return report
