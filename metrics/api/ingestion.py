"""Bulk ingestion: `post-metrics/`, `comments/` and `follower-snapshots/`.

POST a JSON list of up to 10,000 items; the answer is ``{"created": n, "updated": n}``. One bad
item rejects the whole request with ``{"index": i, "errors": {"field": ["message"]}}`` (the first
bad item) and stores nothing; a body that is not a list, or too long a list, has ``"index": null``.

Items are parsed by a lean validator (plain type checks) rather than a serializer per item:
10,000 items must be accepted within a second. What a valid item is (an empty snapshot, exactly
one account, ranges) is decided by ``metrics.validation``, the rules every other input path
uses too; its errors are answered here in the bulk shape. Related ids are resolved with one
query per type, scoped to the organization, so another organization's id is "does not exist". The
serializers below describe the same items for the OpenAPI document only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import MAX_ID, IdFilter, OrgScopedMixin, UtcDateTimeFilter, service_errors
from accounts.selectors import Access, require_role, required_role, visible
from campaigns.models import BrandAccount, Post
from config.parsers import StrictJSONParser
from influencers.models import SocialAccount
from metrics.models import COUNTERS, Comment, FollowerSnapshot, PostMetrics
from metrics.services.ingestion import (
    comments_ingest,
    follower_snapshots_ingest,
    post_metrics_ingest,
)
from metrics.validation import (
    MAX_COUNT,
    NEGATIVE,
    BulkItemError,
    Errors,
    Item,
    comment_errors,
    count_problem,
    follower_snapshot_errors,
    post_metrics_errors,
)

MAX_ITEMS = 10_000

REQUIRED = "This field is required."
UNKNOWN = "Unknown field."
NOT_NULL = "This field may not be null."
NOT_STRING = "Not a valid string."
BLANK = "This field may not be blank."
NUL = "Null characters are not allowed."
DATETIME_FORMAT = (
    "Datetime has wrong format. Use ISO 8601 with a UTC offset, e.g. 2026-03-02T10:00:00+00:00."
)
DATETIME_NAIVE = "Datetime needs a UTC offset (e.g. +00:00 or Z)."
DATE_FORMAT = "Date has wrong format. Use YYYY-MM-DD."


class Invalid(Exception):
    """One field of one item is wrong; the message is what the client sees."""


# --- Per-field checks: take the raw JSON value, return the clean one or raise Invalid --------
def check_id(value: Any) -> int:
    if type(value) is not int:  # bool is an int subclass and never an id
        raise Invalid(f'Incorrect type. Expected pk value, received {type(value).__name__}.')
    if not 0 < value <= MAX_ID:
        raise Invalid(f'Invalid pk "{value}" - object does not exist.')
    return value


def check_counter(value: Any) -> int | None:
    """A cumulative counter, or null when the platform did not report it (never 0 for that)."""
    if value is None:
        return None
    return check_count(value)


def check_count(value: Any) -> int:
    if value is None:
        raise Invalid(NOT_NULL)
    if problem := count_problem(value):
        raise Invalid(problem)
    return value


def check_aware_datetime(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise Invalid(DATETIME_FORMAT)
    text = value.strip()
    if text[-1:] in ("z", "Z"):  # RFC 3339 allows a lower-case z too
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(DATETIME_FORMAT) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Invalid(DATETIME_NAIVE)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:
        raise Invalid(DATETIME_FORMAT) from None


def check_date(value: Any) -> dt.date:
    if not isinstance(value, str) or len(value) != 10:
        raise Invalid(DATE_FORMAT)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(DATE_FORMAT) from None


def check_text(max_length: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value is None:
            raise Invalid(NOT_NULL)
        if not isinstance(value, str):
            raise Invalid(NOT_STRING)
        if "\x00" in value:
            raise Invalid(NUL)
        if not value.strip():
            raise Invalid(BLANK)
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"Ensure this field has no more than {max_length} characters.")
        return value

    return check


@dataclass(frozen=True)
class Field:
    check: Callable[[Any], Any]
    required: bool = False
    # Related ids are looked up (scoped) once per request, after every item passed its checks.
    related: type[Model] | None = None


@dataclass(frozen=True)
class ItemSpec:
    fields: Mapping[str, Field]
    # Rules across fields of one item: returns {field: [message]} or {}.
    cross_check: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None
    related: tuple[tuple[str, type[Model]], ...] = field(init=False)

    def __post_init__(self) -> None:
        related = tuple((n, f.related) for n, f in self.fields.items() if f.related is not None)
        object.__setattr__(self, "related", related)

    def clean(self, item: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
        if not isinstance(item, dict):
            return {}, {"non_field_errors": ["Expected an object with the item's fields."]}
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        for name in item.keys() - self.fields.keys():
            errors[str(name)] = [UNKNOWN]
        for name, spec in self.fields.items():
            if name not in item:
                if spec.required:
                    errors[name] = [REQUIRED]
                continue
            try:
                values[name] = spec.check(item[name])
            except Invalid as exc:
                errors[name] = [str(exc)]
        if not errors and self.cross_check is not None:
            errors = self.cross_check(values)
        return values, errors


class BulkRejected(ValidationError):
    """400 ``{"index": i | null, "errors": {...}}``."""

    def __init__(self, index: int | None, errors: dict[str, list[str]]) -> None:
        super().__init__()
        # Set after the base class so DRF sends exactly this shape (not a list of ErrorDetail).
        self.detail = {"index": index, "errors": errors}  # type: ignore[dict-item]


def validate_items(access: Access, spec: ItemSpec, data: Any) -> list[dict[str, Any]]:
    """The clean items with related records as model instances, or BulkRejected."""
    if not isinstance(data, list):
        raise BulkRejected(None, {"non_field_errors": ["Expected a JSON list of items."]})
    if len(data) > MAX_ITEMS:
        raise BulkRejected(
            None, {"non_field_errors": [f"At most {MAX_ITEMS} items per request ({len(data)})."]}
        )
    cleaned: list[dict[str, Any]] = []
    first_bad: tuple[int, dict[str, list[str]]] | None = None
    for index, item in enumerate(data):
        values, errors = spec.clean(item)
        if errors:
            first_bad = (index, errors)
            break
        cleaned.append(values)
    # Only the items before the first malformed one can hold an earlier error: unknown ids.
    found: dict[str, dict[int, Model]] = {}
    for name, model in spec.related:
        ids = {values[name] for values in cleaned if values.get(name) is not None}
        found[name] = {obj.pk: obj for obj in visible(access, model).filter(pk__in=ids)} if ids else {}
    for index, values in enumerate(cleaned):
        missing = {
            name: [f'Invalid pk "{values[name]}" - object does not exist.']
            for name, _ in spec.related
            if values.get(name) is not None and values[name] not in found[name]
        }
        if missing:
            raise BulkRejected(index, missing)
        for name, _ in spec.related:
            if values.get(name) is not None:
                values[name] = found[name][values[name]]
    if first_bad is not None:
        raise BulkRejected(*first_bad)
    return cleaned


def api_errors(errors: Errors) -> dict[str, list[str]]:
    """The domain's errors under DRF's names (``non_field_errors`` for a rule of the item)."""
    return {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in errors.items()}


def domain_rules(errors_of: Callable[[Item], Errors]) -> Callable[[dict[str, Any]], Errors]:
    """The kind's rules as an item's cross-field check, so the first bad item is reported
    whichever way it is bad (the service checks again for every other caller)."""

    def cross_check(values: dict[str, Any]) -> Errors:
        return api_errors(errors_of(values))

    return cross_check


POST_METRICS = ItemSpec(
    fields={
        "post": Field(check_id, required=True, related=Post),
        "captured_at": Field(check_aware_datetime, required=True),
        **{name: Field(check_counter) for name in COUNTERS},
    },
    cross_check=domain_rules(post_metrics_errors),
)
COMMENTS = ItemSpec(
    fields={
        "post": Field(check_id, required=True, related=Post),
        "external_id": Field(check_text(100), required=True),
        "text": Field(check_text(), required=True),
        "posted_at": Field(check_aware_datetime, required=True),
    },
    cross_check=domain_rules(comment_errors),
)
FOLLOWER_SNAPSHOTS = ItemSpec(
    fields={
        "brand_account": Field(lambda v: None if v is None else check_id(v), related=BrandAccount),
        "social_account": Field(
            lambda v: None if v is None else check_id(v), related=SocialAccount
        ),
        "date": Field(check_date, required=True),
        "followers": Field(check_count, required=True),
    },
    cross_check=domain_rules(follower_snapshot_errors),
)


# --- Serializers: the GET lists, and the POST items for the OpenAPI document ----------------
class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Items that made a new row.")
    updated = serializers.IntegerField(help_text="Items that replaced a row with the same key.")


class BulkErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        allow_null=True, help_text="Position of the first bad item; null if the body is wrong."
    )
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages.",
    )


def _counter_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, allow_null=True, required=False,
        help_text="Cumulative count; null or absent when the platform does not report it.",
    )


class PostMetricsItemSerializer(serializers.Serializer):
    """One snapshot; at least one counter must be given (a snapshot of nothing is a 400)."""

    post = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    captured_at = serializers.DateTimeField(help_text="ISO 8601 with an offset.")
    impressions = _counter_field()
    reach = _counter_field()
    views = _counter_field()
    likes = _counter_field()
    comments = _counter_field()
    shares = _counter_field()
    saves = _counter_field()
    mentions = _counter_field()
    link_clicks = _counter_field()


class CommentItemSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    external_id = serializers.CharField(max_length=100)
    text = serializers.CharField()
    posted_at = serializers.DateTimeField(help_text="ISO 8601 with an offset.")


class FollowerSnapshotItemSerializer(serializers.Serializer):
    brand_account = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="Exactly one of brand_account and social_account.",
    )
    social_account = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    date = serializers.DateField()
    followers = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


class PostMetricsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostMetrics
        fields = ["id", "post", "captured_at", *COUNTERS, "source", "created_at"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = [
            "id", "post", "external_id", "text", "posted_at", "sentiment", "compound", "source",
            "created_at",
        ]
        read_only_fields = fields


class FollowerSnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowerSnapshot
        fields = [
            "id", "brand_account", "social_account", "date", "followers", "source", "created_at",
        ]
        read_only_fields = fields


# --- Filters --------------------------------------------------------------------------------
class PostMetricsFilter(django_filters.FilterSet):
    post = IdFilter(field_name="post")
    partnership = IdFilter(field_name="post__partnership")
    campaign = IdFilter(field_name="post__partnership__campaign")
    brand = IdFilter(field_name="post__partnership__campaign__brand")
    captured_after = UtcDateTimeFilter(field_name="captured_at", lookup_expr="gte")
    captured_before = UtcDateTimeFilter(field_name="captured_at", lookup_expr="lte")

    class Meta:
        model = PostMetrics
        fields = ["post", "partnership", "campaign", "brand"]


class CommentFilter(django_filters.FilterSet):
    post = IdFilter(field_name="post")
    partnership = IdFilter(field_name="post__partnership")
    campaign = IdFilter(field_name="post__partnership__campaign")
    brand = IdFilter(field_name="post__partnership__campaign__brand")
    sentiment = django_filters.CharFilter()
    posted_after = UtcDateTimeFilter(field_name="posted_at", lookup_expr="gte")
    posted_before = UtcDateTimeFilter(field_name="posted_at", lookup_expr="lte")

    class Meta:
        model = Comment
        fields = ["post", "partnership", "campaign", "brand", "sentiment"]


class FollowerSnapshotFilter(django_filters.FilterSet):
    brand_account = IdFilter(field_name="brand_account")
    social_account = IdFilter(field_name="social_account")
    brand = IdFilter(field_name="brand_account__brand")
    influencer = IdFilter(field_name="social_account__influencer")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = FollowerSnapshot
        fields = ["brand_account", "social_account", "brand", "influencer"]


# --- Views ----------------------------------------------------------------------------------
Ingest = Callable[..., tuple[int, int]]


class BulkIngestViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """GET lists and details; POST a list of items (see the module docstring)."""

    spec: ClassVar[ItemSpec]
    ingest: ClassVar[Ingest]
    parser_classes = [StrictJSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        # A body that is not JSON is "not a list" too: the same 400 shape, index null.
        if isinstance(exc, ParseError) and self.action == "create":
            exc = BulkRejected(None, {"non_field_errors": [str(exc.detail)]})
        return super().handle_exception(exc)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.access
        with service_errors():
            require_role(access, required_role(self.model, "write"))
        items = validate_items(access, self.spec, request.data)
        ingest: Ingest = type(self).ingest  # a plain function, not a method
        with service_errors():
            try:
                created, updated = ingest(organization=access.organization, items=items)
            except BulkItemError as exc:
                raise BulkRejected(exc.index, api_errors(exc.errors)) from exc
        return Response({"created": created, "updated": updated}, status=status.HTTP_200_OK)


def _bulk_schema(
    item: type[serializers.Serializer], example: Sequence[dict[str, Any]], what: str
) -> Callable[[Any], Any]:
    return extend_schema(
        summary=f"Upsert up to {MAX_ITEMS:,} {what} (all or nothing)",
        request=item(many=True),
        responses={
            200: BulkResultSerializer,
            400: OpenApiResponse(
                BulkErrorSerializer,
                description="Nothing stored: the first bad item's index and its fields.",
                examples=[
                    OpenApiExample(
                        "Bad item",
                        value={"index": 3, "errors": {"likes": [NEGATIVE]}},
                        response_only=True,
                    ),
                    OpenApiExample(
                        "Not a list",
                        value={"index": None, "errors": {"non_field_errors": ["Expected a JSON "
                                                                              "list of items."]}},
                        response_only=True,
                    ),
                ],
            ),
        },
        examples=[
            OpenApiExample(f"{what.capitalize()}", value=list(example), request_only=True),
            OpenApiExample(
                "Answer", value={"created": 1, "updated": 1}, response_only=True,
                status_codes=["200"],
            ),
        ],
    )


class PostMetricsViewSet(BulkIngestViewSet):
    """Snapshots of a post's cumulative counters; idempotent on ``post`` + ``captured_at``."""

    model = PostMetrics
    spec = POST_METRICS
    ingest = staticmethod(post_metrics_ingest)
    serializer_class = PostMetricsSerializer
    filterset_class = PostMetricsFilter
    ordering_fields = ["captured_at", "created_at"]

    @_bulk_schema(
        PostMetricsItemSerializer,
        [
            {"post": 12, "captured_at": "2026-03-02T10:00:00+00:00", "impressions": 15400,
             "reach": 11200, "views": None, "likes": 830, "comments": 41, "shares": 12,
             "saves": 56},
            {"post": 12, "captured_at": "2026-03-03T10:00:00+00:00", "impressions": 18250,
             "reach": 12900, "likes": 944, "comments": 47},
        ],
        "post metrics",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)


class CommentViewSet(BulkIngestViewSet):
    """Comments on posts, labelled by sentiment on arrival; idempotent on ``post`` +
    ``external_id``."""

    model = Comment
    spec = COMMENTS
    ingest = staticmethod(comments_ingest)
    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    search_fields = ["text"]
    ordering_fields = ["posted_at", "created_at"]

    @_bulk_schema(
        CommentItemSerializer,
        [{"post": 12, "external_id": "17858893269000001", "text": "Love this shade!",
          "posted_at": "2026-03-02T11:04:00+00:00"}],
        "comments",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)


class FollowerSnapshotViewSet(BulkIngestViewSet):
    """Followers of a brand account or a creator account on a day; idempotent on the account
    + ``date``."""

    model = FollowerSnapshot
    spec = FOLLOWER_SNAPSHOTS
    ingest = staticmethod(follower_snapshots_ingest)
    serializer_class = FollowerSnapshotSerializer
    filterset_class = FollowerSnapshotFilter
    ordering_fields = ["date", "followers", "created_at"]

    @_bulk_schema(
        FollowerSnapshotItemSerializer,
        [{"brand_account": 3, "date": "2026-03-01", "followers": 120400},
         {"social_account": 7, "date": "2026-03-01", "followers": 48210}],
        "follower snapshots",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)


def register(router: BaseRouter) -> None:
    router.register("post-metrics", PostMetricsViewSet, basename="post-metrics")
    router.register("comments", CommentViewSet, basename="comment")
    router.register("follower-snapshots", FollowerSnapshotViewSet, basename="follower-snapshot")
