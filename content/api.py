"""`/api/v1/` briefs (their versions, and sending one), deliverables and drafts with their
review. A creator's session reaches these too (``creator_allowed``): through the checkpoint it
sees only its own partnerships' rows, and it may submit drafts of its own deliverables —
nothing else."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from accounts.api import (
    IdFilter,
    OrgModelSerializer,
    OrgPrimaryKeyRelatedField,
    OrgScopedMixin,
    OrgViewSet,
    Services,
    service_errors,
)
from accounts.api_auth import access_of
from accounts.selectors import require_role, required_role
from campaigns.models import Campaign, Partnership, Post
from campaigns.selectors import sees_compensation
from config.parsers import StrictJSONParser
from content import services
from content.check_text import finding_message
from content.models import (
    DELIVERED_STATUSES,
    BriefSend,
    BriefVersion,
    Deliverable,
    DeliverableFormat,
    DeliverableStatus,
    Draft,
    DraftReview,
    DraftStatus,
    ReviewDecision,
)
from content.selectors import organization_today
from influencers.models import Platform


def _terms(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50,
        help_text=help_text,
    )


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="disclosure_missing, disclosure_late, "
                                 "hashtag_missing, mention_missing or forbidden_word.")
    detail = serializers.CharField(help_text="The exact tag, mention or word.")
    message = serializers.SerializerMethodField()

    def get_message(self, finding: dict[str, str]) -> str:
        return finding_message(finding)


# --- Briefs ---------------------------------------------------------------------------------
class AttachmentInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class BriefVersionSerializer(OrgModelSerializer):
    """Creating one is editing the campaign's brief: a new numbered version."""

    campaign = OrgPrimaryKeyRelatedField(source="brief.campaign", queryset=Campaign.objects.all())
    goal = serializers.CharField(required=False, allow_blank=True,
                                 help_text="Empty: a goal from the campaign's funnel stage.")
    disclosure_tags = _terms("Any one near the start of the caption; empty: the organisation's.")
    required_hashtags = _terms("Hashtags every caption must carry.")
    required_mentions = _terms("Handles every caption must mention.")
    forbidden_words = _terms("Words no caption may use.")
    attachments = AttachmentInfoSerializer(many=True, read_only=True)

    class Meta:
        model = BriefVersion
        fields = [
            "id", "campaign", "number", "goal", "key_messages", "dos", "donts",
            "disclosure_tags", "required_hashtags", "required_mentions", "forbidden_words",
            "links_and_codes", "attachments", "created_by", "created_at",
        ]
        read_only_fields = ["number", "created_by", "created_at"]


class BriefSendSerializer(serializers.ModelSerializer):
    class Meta:
        model = BriefSend
        fields = ["id", "version", "partnership", "sent_by", "sent_at"]
        read_only_fields = fields


class SendSerializer(serializers.Serializer):
    partnerships = OrgPrimaryKeyRelatedField(
        queryset=Partnership.objects.all(), many=True, allow_empty=False,
        help_text="Partnerships of the brief's campaign.",
    )


class BriefVersionFilter(django_filters.FilterSet):
    campaign = IdFilter(field_name="brief__campaign")
    partnership = IdFilter(field_name="sends__partnership")

    class Meta:
        model = BriefVersion
        fields = ["campaign", "partnership"]


class BriefVersionViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Brief versions: a creator sees only the versions their partnership was sent."""

    creator_allowed = True
    model = BriefVersion
    serializer_class = BriefVersionSerializer
    filterset_class = BriefVersionFilter
    ordering_fields = ["number", "created_at"]
    search_fields = ["goal", "key_messages"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("brief").prefetch_related("attachments")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with service_errors():
            require_role(self.access, required_role(BriefVersion, "write"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        campaign = data.pop("brief")["campaign"]
        with service_errors():
            serializer.instance = services.brief_version_create(
                access=self.access, campaign=campaign, **data
            )

    @extend_schema(
        summary="Send this brief version to partnerships of its campaign",
        request=SendSerializer, responses={200: BriefSendSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        body = SendSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with service_errors():
            sends = services.brief_send(
                access=self.access, version=version,
                partnerships=body.validated_data["partnerships"],
            )
        return Response(BriefSendSerializer(sends, many=True).data)


# --- Deliverables ---------------------------------------------------------------------------
class DeliverableSerializer(OrgModelSerializer):
    late = serializers.SerializerMethodField(
        help_text="Past its due date (the organisation's day) and not yet live."
    )
    posts = serializers.ManyRelatedField(
        child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True,
        help_text="The live posts that deliver it.",
    )

    class Meta:
        model = Deliverable
        fields = [
            "id", "partnership", "platform", "format", "quantity", "due_date", "fee_share",
            "pay_on", "status", "late", "posts", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "fee_share": {"help_text": "Part of the partnership's fee. Shown to admins, owners "
                          "and the creator; setting it needs the admin role."},
            "status": {"help_text": "Moves one step at a time: planned → draft_submitted → "
                       "changes_requested/approved → live → verified."},
        }

    def get_late(self, deliverable: Deliverable) -> bool:
        today = self.context.get("today")
        if today is None:
            return deliverable.is_late()
        return deliverable.status not in DELIVERED_STATUSES and deliverable.due_date < today

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        access = access_of(request) if request is not None else None
        if access is None or not (access.is_creator or sees_compensation(access)):
            data.pop("fee_share", None)
        return data


class DeliverableFilter(django_filters.FilterSet):
    partnership = IdFilter(field_name="partnership")
    campaign = IdFilter(field_name="partnership__campaign")
    status = django_filters.ChoiceFilter(choices=DeliverableStatus.choices)
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    format = django_filters.ChoiceFilter(choices=DeliverableFormat.choices)
    late = django_filters.BooleanFilter(method="filter_late")

    class Meta:
        model = Deliverable
        fields = ["partnership", "campaign", "status", "platform", "format"]

    def filter_late(self, queryset: QuerySet[Any], name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        access = access_of(self.request) if self.request is not None else None
        if access is None:
            return queryset.none()
        today = organization_today(access.organization)
        late = Q(due_date__lt=today) & ~Q(status__in=DELIVERED_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)


class LinkPostSerializer(serializers.Serializer):
    post = OrgPrimaryKeyRelatedField(queryset=Post.objects.all(),
                                     help_text="A live post of the deliverable's partnership.")


class DeliverableViewSet(OrgViewSet):
    creator_allowed = True
    model = Deliverable
    serializer_class = DeliverableSerializer
    services = Services(
        create=services.deliverable_create, update=services.deliverable_update,
        delete=services.deliverable_delete, instance="deliverable",
    )
    filterset_class = DeliverableFilter
    ordering_fields = ["due_date", "status", "created_at"]
    search_fields = ["partnership__influencer__name"]

    def today(self) -> Any:
        return organization_today(self.access.organization)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("posts")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and access_of(self.request):
            context["today"] = self.today()
        return context

    @extend_schema(
        summary="Link the live post that delivers this approved deliverable",
        request=LinkPostSerializer, responses={200: DeliverableSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-post")
    def link_post(self, request: Request, pk: str | None = None) -> Response:
        deliverable = self.get_object()
        body = LinkPostSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with service_errors():
            services.deliverable_link_post(
                access=self.access, deliverable=deliverable, post=body.validated_data["post"]
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=deliverable.pk)).data)


# --- Drafts ---------------------------------------------------------------------------------
class DraftReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftReview
        fields = ["id", "decision", "comment", "reviewer", "created_at"]
        read_only_fields = fields


class DraftSerializer(OrgModelSerializer):
    media = serializers.FileField(
        write_only=True, required=False, allow_null=True,
        help_text="A PNG, JPEG, WebP or GIF image or an MP4/MOV video, at most 25 MB "
        "(multipart/form-data).",
    )
    caption = serializers.CharField(required=False, allow_blank=True, default="")
    findings = serializers.SerializerMethodField(
        help_text="The caption rules the draft fails, each with a sentence for people."
    )
    reviews = DraftReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Draft
        fields = [
            "id", "deliverable", "number", "caption", "link", "media", "media_name",
            "media_content_type", "media_size", "status", "findings", "reviews",
            "submitted_by", "submitted_at",
        ]
        read_only_fields = [
            "number", "media_name", "media_content_type", "media_size", "status",
            "submitted_by", "submitted_at",
        ]

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, draft: Draft) -> list[dict[str, Any]]:
        return FindingSerializer(draft.findings or [], many=True).data  # type: ignore[return-value]


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Needed when requesting changes.")


class DraftFilter(django_filters.FilterSet):
    deliverable = IdFilter(field_name="deliverable")
    partnership = IdFilter(field_name="deliverable__partnership")
    campaign = IdFilter(field_name="deliverable__partnership__campaign")
    status = django_filters.ChoiceFilter(choices=DraftStatus.choices)

    class Meta:
        model = Draft
        fields = ["deliverable", "partnership", "campaign", "status"]


class DraftViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Drafts of deliverables. A creator submits drafts of their own deliverables (JSON with a
    link, or multipart with ``media``); managers and above may submit for them and review."""

    creator_allowed = True
    model = Draft
    serializer_class = DraftSerializer
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]
    filterset_class = DraftFilter
    ordering_fields = ["submitted_at", "number"]
    search_fields = ["caption"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().defer("media").prefetch_related("reviews")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.access
        if not access.is_creator:
            with service_errors():
                require_role(access, required_role(Draft, "write"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        with service_errors():
            serializer.instance = services.draft_submit(
                access=self.access, deliverable=data["deliverable"],
                caption=data.get("caption", ""), link=data.get("link", ""),
                media=data.get("media"),
            )

    @extend_schema(
        summary="Approve the draft or request changes (managers and above)",
        request=ReviewSerializer, responses={200: DraftSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            services.draft_review(access=self.access, draft=draft, **body.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=draft.pk)).data,
            status=status.HTTP_200_OK,
        )


def register(router: BaseRouter) -> None:
    router.register("briefs", BriefVersionViewSet, basename="brief")
    router.register("deliverables", DeliverableViewSet, basename="deliverable")
    router.register("drafts", DraftViewSet, basename="draft")
