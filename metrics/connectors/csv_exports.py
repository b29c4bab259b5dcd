"""Import of the platforms' own analytics exports (Instagram / Meta Business Suite, TikTok
Studio, YouTube Studio "Table data.csv") for creators who won't connect an account.

Column names differ per platform and over time, so each counter has a list of accepted
headers (case-insensitive). A row names its post by the platform id or the post's URL. Every
row is checked first; any error (with its spreadsheet row number, the header being row 1)
rejects the file and nothing is stored. Empty cells and "--" are NULL (not reported), never 0.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from accounts.models import Organization
from campaigns.models import Post
from metrics.models import COUNTERS, Source
from metrics.validation import post_metrics_errors

ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "instagram": ("post id", "media id", "id"),
    "tiktok": ("video id", "post id", "item id"),
    "youtube": ("content", "video id", "video"),
}
URL_COLUMNS: dict[str, tuple[str, ...]] = {
    "instagram": ("permalink", "post link", "link"),
    "tiktok": ("video link", "post link", "link", "share url"),
    "youtube": ("video url", "link"),
}
COUNTER_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "instagram": {
        "impressions": ("impressions",),
        "reach": ("reach", "accounts reached"),
        # "Plays" is the pre-2025 name of views.
        "views": ("views", "plays", "video views"),
        "likes": ("likes",),
        "comments": ("comments",),
        "shares": ("shares",),
        "saves": ("saves", "saved"),
        "link_clicks": ("link clicks", "link taps"),
    },
    "tiktok": {
        "impressions": ("impressions",),
        "reach": ("reach", "accounts reached"),
        "views": ("video views", "views", "total views", "total video views", "total play"),
        "likes": ("likes", "total likes"),
        "comments": ("comments", "total comments"),
        "shares": ("shares", "total shares"),
        "saves": ("saves", "favorites", "add to favorites", "total favorites"),
    },
    "youtube": {
        # YouTube Studio's impressions are thumbnail impressions — its own exposure measure.
        "impressions": ("impressions",),
        "views": ("views",),
        "likes": ("likes",),
        "comments": ("comments added", "comments"),
        "shares": ("shares",),
    },
}
SUPPORTED_EXPORTS = tuple(COUNTER_COLUMNS)
EMPTY = {"", "-", "--", "n/a", "na", "null"}
SUMMARY_IDS = {"total", "totals"}  # YouTube Studio's first data row sums the table


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row, "field": self.field, "message": self.message,
        }


class CsvImportError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:20]))
        self.errors = errors


@dataclass
class ParsedRow:
    row: int
    external_id: str
    url: str
    counters: dict[str, int | None] = field(default_factory=dict)


def _normalize(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def _find(headers: dict[str, str], names: Iterable[str]) -> str | None:
    for name in names:
        if name in headers:
            return headers[name]
    return None


def _count(raw: str | None) -> tuple[int | None, str | None]:
    text = (raw or "").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if text.lower() in EMPTY:
        return None, None
    try:
        number = float(text)
    except ValueError:
        return None, _("%(value)s is not a number") % {"value": repr(raw)}
    if number < 0 or not number.is_integer():
        return None, _("%(value)s is not a whole, non-negative count") % {"value": repr(raw)}
    return int(number), None


def parse_export(*, platform: str, text: str) -> list[ParsedRow]:
    """Rows of the export with their counters; raises ``CsvImportError`` listing every bad row."""
    if platform not in COUNTER_COLUMNS:
        raise CsvImportError([RowError(
            1, "platform", _("no export format for %(platform)s") % {"platform": repr(platform)}
        )])
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header_row = next(reader)
    except StopIteration:
        raise CsvImportError([RowError(1, "file", _("the file is empty"))]) from None
    headers = {_normalize(h): h for h in header_row}
    position = {h: i for i, h in enumerate(header_row)}
    id_column = _find(headers, ID_COLUMNS[platform])
    url_column = _find(headers, URL_COLUMNS[platform])
    columns = {
        counter: column
        for counter, names in COUNTER_COLUMNS[platform].items()
        if (column := _find(headers, names)) is not None
    }
    problems = []
    if id_column is None and url_column is None:
        expected = ", ".join(f'"{n}"' for n in ID_COLUMNS[platform] + URL_COLUMNS[platform])
        problems.append(RowError(1, "header", _(
            "no post id or link column (one of %(expected)s)"
        ) % {"expected": expected}))
    if not columns:
        problems.append(RowError(1, "header", _("no metric column this importer knows")))
    if problems:
        raise CsvImportError(problems)

    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(column: str | None, _values: list[str] = values) -> str:
            index = position.get(column or "", -1)
            return _values[index].strip() if 0 <= index < len(_values) else ""

        external_id = cell(id_column)
        url = cell(url_column)
        if external_id.lower() in SUMMARY_IDS:
            continue
        if not external_id and not url:
            errors.append(
                RowError(number, id_column or url_column or "id", _("no post id or link"))
            )
            continue
        parsed = ParsedRow(row=number, external_id=external_id, url=url)
        for counter, column in columns.items():
            value, problem = _count(cell(column))
            if problem:
                errors.append(RowError(number, column, problem))
            parsed.counters[counter] = value
        rows.append(parsed)
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([RowError(2, "file", _("the file has no data rows"))])
    return rows


def _url_key(url: str) -> str:
    return url.strip().lower().split("?")[0].rstrip("/").removeprefix("https://").removeprefix(
        "http://").removeprefix("www.")


def csv_export_import(
    *, organization: Organization, platform: str, text: str, captured_at: dt.datetime
) -> tuple[int, int]:
    """Match each row to one of the organization's posts on ``platform`` and store its counters
    as a snapshot at ``captured_at``. All rows or none. Returns (created, updated)."""
    from metrics.services.ingestion import post_metrics_ingest

    rows = parse_export(platform=platform, text=text)
    posts = list(
        Post.objects.filter(
            partnership__campaign__brand__organization=organization, platform=platform
        ).only("pk", "external_id", "url", "partnership_id")
    )
    by_id: dict[str, list[Post]] = {}
    by_url: dict[str, list[Post]] = {}
    for post in posts:
        if post.external_id:
            by_id.setdefault(post.external_id, []).append(post)
        if post.url:
            by_url.setdefault(_url_key(post.url), []).append(post)

    errors: list[RowError] = []
    items: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for row in rows:
        matched = by_id.get(row.external_id, []) if row.external_id else []
        if not matched and row.url:
            matched = by_url.get(_url_key(row.url), [])
        if not matched:
            label = row.external_id or row.url
            errors.append(RowError(row.row, "post", _(
                "no %(platform)s post %(post)s in this organization (add it to a partnership "
                "first)"
            ) % {"platform": platform, "post": repr(label)}))
            continue
        problems = post_metrics_errors(
            {"post": matched[0], "captured_at": captured_at, **row.counters}
        )
        if problems:
            errors += [
                RowError(row.row, "metrics" if name == NON_FIELD_ERRORS else name, message)
                for name, messages in problems.items()
                for message in messages
            ]
            continue
        for post in matched:
            if post.pk in seen:
                errors.append(RowError(row.row, "post", _(
                    "the same post is already on row %(row)s"
                ) % {"row": seen[post.pk]}))
                continue
            seen[post.pk] = row.row
            items.append({"post": post, "captured_at": captured_at,
                          **{name: row.counters.get(name) for name in COUNTERS}})
    if errors:
        raise CsvImportError(errors)
    return post_metrics_ingest(organization=organization, items=items, source=Source.CSV)
