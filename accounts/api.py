"""The REST API's shared base: org-scoped viewsets and related fields, and the owners' API keys.

Viewsets stay thin: ``get_queryset`` is the checkpoint's ``visible``, ``get_object`` its
``get_object_for`` (404 for another organization's id, 403 for a role that is too weak) and every
write goes through a service. Services speak Django (``ValidationError``, ``PermissionDenied``);
``service_errors`` translates them into DRF's 400 (naming the field) and 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Model, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api_auth import access_of
from accounts.models import ApiKey, Role
from accounts.selectors import Access, Action, get_object_for, require_role, required_role, visible
from accounts.services import api_key_create, api_key_revoke

MAX_ID = 2**63 - 1


@contextmanager
def service_errors() -> Iterator[None]:
    """Django's validation and permission errors from a service, as DRF's 400 and 403."""
    try:
        yield
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(serializers.as_serializer_error(exc)) from exc
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc
    except IntegrityError as exc:
        # full_clean checks the constraints first; this is the rare race between two writers.
        raise exceptions.ValidationError(
            {"non_field_errors": ["This conflicts with a record that already exists."]}
        ) from exc


def request_access(request: Request) -> Access:
    access = access_of(request)
    if access is None:  # IsOrganizationMember already refused the request; this is for mypy
        raise exceptions.NotAuthenticated()
    return access


class OrgPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id that must name a record of the requesting organization: anyone else's id
    is "does not exist" (400), exactly like an id that was never used."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if queryset is None:  # always given: ModelSerializer passes the model's queryset
            raise AssertionError("OrgPrimaryKeyRelatedField needs a queryset")
        request = self.context.get("request")
        access = access_of(request) if request is not None else None
        if access is None:
            return queryset.none()
        return visible(access, queryset.model)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        try:
            return super().to_internal_value(data)
        except OverflowError:  # a numeric string beyond the database's integers
            self.fail("does_not_exist", pk_value=data)


class OrgModelSerializer(serializers.ModelSerializer):
    """Related ids are scoped to the organization. Uniqueness and cross-field rules are the
    model's (``full_clean`` in the service), so DRF's own unique validators are switched off:
    they would make optional fields of conditional constraints required."""

    serializer_related_field = OrgPrimaryKeyRelatedField

    def get_validators(self) -> list[Any]:
        return []


@dataclass(frozen=True)
class Services:
    """The writes of one resource. ``instance`` names the keyword the update and delete
    services take the record by (``brand=``, ``account=``…), ``delete_instance`` the delete
    service's keyword where it differs."""

    create: Callable[..., Model]
    update: Callable[..., Model]
    delete: Callable[..., None]
    instance: str
    delete_instance: str | None = None


class IdFilter(django_filters.NumberFilter):
    """``?brand=<id>``: an integer in the database's range (a larger one is a 400, not a crash);
    ids of other organizations simply match nothing, the list being scoped already."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 admits UTC offsets up to ±23:59, PostgreSQL only up to ±15:59: compare in UTC
    (an instant beyond the calendar either way is a 400)."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is not None and timezone.is_aware(value):
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise exceptions.ValidationError(
                    {self.field_name: ["This instant is out of range."]}
                ) from None
        return super().filter(qs, value)


class SafeSearchFilter(filters.SearchFilter):
    """PostgreSQL refuses NUL characters in a query; a search term cannot usefully hold one."""

    def get_search_terms(self, request: Request) -> list[str]:
        return [t.replace("\x00", "") for t in super().get_search_terms(request) if t != "\x00"]


class OrgScopedMixin(viewsets.GenericViewSet):
    """``get_queryset`` and ``get_object`` through the checkpoint, for any generic viewset of
    ``model``: another organization's id is a 404, a role that is too weak a 403."""

    model: ClassVar[type[Model]]
    select_related: ClassVar[tuple[str, ...]] = ()
    # Custom actions whose checkpoint action is not the HTTP method's (e.g. a POST that reads).
    checkpoint_actions: ClassVar[dict[str, Action]] = {}
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter, SafeSearchFilter]

    @property
    def access(self) -> Access:
        return request_access(self.request)

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular introspecting
            return self.model._default_manager.none()
        queryset = visible(self.access, self.model)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    def checkpoint_action(self) -> Action:
        if self.action in self.checkpoint_actions:
            return self.checkpoint_actions[self.action]
        method = (self.request.method or "GET").upper()
        if method in SAFE_METHODS:
            return "view"
        return "delete" if method == "DELETE" else "write"

    def get_object(self) -> Any:
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj = get_object_for(
            self.access, self.model, lookup, action=self.checkpoint_action(),
            queryset=self.get_queryset(),
        )
        self.check_object_permissions(self.request, obj)
        return obj


class OrgViewSet(OrgScopedMixin, viewsets.ModelViewSet):
    """CRUD of one model through the checkpoint and the services (see the module docstring)."""

    services: ClassVar[Services]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The role comes before the body: a viewer learns "not allowed", not "bad field".
        with service_errors():
            require_role(self.access, required_role(self.model, "write"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with service_errors():
            serializer.instance = self.services.create(
                access=self.access, **serializer.validated_data
            )

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with service_errors():
            serializer.instance = self.services.update(
                access=self.access, **{self.services.instance: serializer.instance},
                **serializer.validated_data,
            )

    def perform_destroy(self, instance: Model) -> None:
        with service_errors():
            keyword = self.services.delete_instance or self.services.instance
            self.services.delete(access=self.access, **{keyword: instance})


# --- API keys (owners) ----------------------------------------------------------------------
class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = [
            "id", "name", "role", "prefix", "created_by", "created_at", "expires_at",
            "last_used_at", "revoked_at",
        ]
        read_only_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
        extra_kwargs = {"role": {"required": True}}

    def validate_expires_at(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry must be in the future.")
        return value


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The secret. Shown this once only.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]


class ApiKeyViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The organization's API keys (owners only). DELETE revokes: the row stays for the audit
    log and the key stops working at once. Every key belongs to a member (``created_by``): it
    acts with at most that member's current role and dies when they leave."""

    model = ApiKey
    serializer_class = ApiKeySerializer
    ordering_fields = ["created_at", "name", "last_used_at"]
    filterset_fields = ["role"]
    search_fields = ["name", "prefix"]

    @extend_schema(request=ApiKeySerializer, responses={201: NewApiKeySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        access = self.access
        with service_errors():
            require_role(access, Role.OWNER)
        serializer = ApiKeySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            # The key belongs to the signed-in owner, or to the person of the key making it.
            api_key, raw = api_key_create(access=access, **serializer.validated_data)
        api_key.key = raw  # type: ignore[attr-defined]
        return Response(NewApiKeySerializer(api_key).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiKey) -> None:
        with service_errors():
            api_key_revoke(access=self.access, api_key=instance)
