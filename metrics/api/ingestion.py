"""Bulk ingestion: `post-metrics/`, `comments/` and `follower-snapshots/`.

POST a JSON list of up to 10,000 items, all or nothing (``metrics.api.bulk`` parses the items
and shapes the answer; ``metrics.validation`` holds the rules of each kind). GET lists and
details. The item serializers describe the POSTed items for the OpenAPI document only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import django_filters
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import MAX_ID, IdFilter, OrgScopedMixin, UtcDateTimeFilter, service_errors
from accounts.selectors import require_role, required_role
from campaigns.models import BrandAccount, Post
from config.parsers import StrictJSONParser
from config.validation import NEGATIVE, BulkItemError
from influencers.models import SocialAccount
from metrics.api.bulk import (
    MAX_ITEMS,
    BulkErrorSerializer,
    BulkRejected,
    BulkResultSerializer,
    Field,
    ItemSpec,
    api_errors,
    check_aware_datetime,
    check_count,
    check_counter,
    check_date,
    check_id,
    check_text,
    domain_rules,
    validate_items,
)
from metrics.models import COUNTERS, Comment, FollowerSnapshot, PostMetrics
from metrics.services.ingestion import (
    comments_ingest,
    follower_snapshots_ingest,
    post_metrics_ingest,
)
from metrics.validation import (
    MAX_COUNT,
    TOO_LARGE,
    comment_errors,
    follower_snapshot_errors,
    post_metrics_errors,
)

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
def _counter_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, allow_null=True, required=False,
        error_messages={"max_value": TOO_LARGE},
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
    followers = serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, error_messages={"max_value": TOO_LARGE}
    )


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
