"""Admin for tenancy records, and the organization scoping every app's admin builds on.

Superusers see everything. Staff who are not superusers see only rows of the organizations
they are members of (through each model's ``organization_path``), may only pick related
records from those organizations, and get a 404 for anything else — as the pages do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.db.models.fields.related import ForeignKey
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest
from django.urls import reverse

from accounts.models import ApiKey, AuditEntry, Invitation, Membership, Organization, Role, User
from accounts.selectors import Access
from accounts.services import (
    api_key_create,
    api_key_revoke,
    invitation_create,
    membership_remove,
    membership_set_role,
)


def organization_ids_of(request: HttpRequest) -> list[int]:
    """The organizations a staff user may manage in the admin (cached on the request)."""
    cached: list[int] | None = getattr(request, "_admin_organization_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=request.user.pk).values_list(  # type: ignore[misc]
                "organization_id", flat=True
            )
        )
        request._admin_organization_ids = cached  # type: ignore[attr-defined]
    return cached


def is_unscoped(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def scope_queryset(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Rows of the user's organizations; models without an organization are shared data."""
    if is_unscoped(request):
        return queryset
    model = queryset.model
    if model is User or issubclass(model, User):
        return queryset.filter(
            memberships__organization_id__in=organization_ids_of(request)
        ).distinct()
    path: str | None = getattr(model, "organization_path", None)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": organization_ids_of(request)})


def admin_access(request: HttpRequest, organization: Organization) -> Access:
    """The admin user's access in ``organization``, for calling services from the admin."""
    if is_unscoped(request):
        role: str = Role.OWNER
    else:
        membership = Membership.objects.filter(
            user_id=request.user.pk, organization=organization  # type: ignore[misc]
        ).first()
        if membership is None:
            raise Http404("Not a member of that organization.")
        role = membership.role
    return Access(organization=organization, role=role, user=request.user)  # type: ignore[arg-type]


class OrganizationScopedMixin:
    """For ModelAdmin and inlines: rows, choices and object pages limited to the user's orgs."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(request, super().get_queryset(request))  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related: type[Model] = db_field.remote_field.model
        if not is_unscoped(request) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(request, related._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedModelAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    list_per_page = 50

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Django's admin redirects to the index for a missing object; an object of another
        # organization must look exactly like one that does not exist: a 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object.")
        return obj


class ReadOnlyModelAdmin(ScopedModelAdmin):
    """Records written by the system (logs, computed numbers): looked at, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedTabularInline(OrganizationScopedMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ScopedStackedInline(OrganizationScopedMixin, admin.StackedInline):
    extra = 0
    show_change_link = True


# --- Users and organizations ----------------------------------------------------------------
class MembershipOfUserInline(ScopedTabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organization", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(User)
class UserAdmin(OrganizationScopedMixin, DjangoUserAdmin):
    inlines = [MembershipOfUserInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active",
                    "last_login")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if is_unscoped(request):
            return fields
        # Only a superuser hands out admin powers; a staff user cannot raise anyone, themself
        # included, above what they have.
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions", "last_login",
                "date_joined")

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such user.")
        return obj


class MembershipInline(ScopedTabularInline):
    model = Membership
    fk_name = "organization"
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    list_display = ("name", "slug", "time_zone", "member_count", "created_at")
    search_fields = ("name", "slug")
    list_filter = ("time_zone",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description="Members", ordering="_members")
    def member_count(self, obj: Organization) -> int:
        return getattr(obj, "_members", 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A staff user's new organization would have no member and vanish from their view.
        return is_unscoped(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unscoped(request)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("organization", "user", "role")


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization")
    search_fields = ("user__username", "user__email", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("organization", "user") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change and "role" in form.changed_data:
            # The service keeps at least one owner and writes the audit log.
            previous = Membership.objects.get(pk=obj.pk)
            try:
                membership_set_role(
                    access=admin_access(request, obj.organization), membership=previous,
                    role=obj.role,
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(access=admin_access(request, obj.organization), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("organization", "user"):
            try:
                self.delete_model(request, membership)
            except ValidationError as exc:
                self.message_user(
                    request, f"{membership}: {'; '.join(exc.messages)}", messages.ERROR
                )


# --- API keys and invitations ---------------------------------------------------------------
class ApiKeyAdminForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("organization", "name", "role", "expires_at")


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    """The secret is shown once, in a message, right after it is created; only its hash is
    stored and the hash is never displayed."""

    form = ApiKeyAdminForm
    list_display = ("name", "prefix", "organization", "role", "created_at", "last_used_at",
                    "expires_at", "revoked_at")
    list_filter = ("role", "organization", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "organization__name")
    list_select_related = ("organization",)
    actions = ["revoke_keys"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("organization", "name", "role", "expires_at")
        return ("organization", "name", "role", "prefix", "created_by", "created_at",
                "expires_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        # A key's organization and role are fixed at birth: to change them, revoke and re-issue.
        return ("organization", "role", "prefix", "created_by", "created_at", "last_used_at",
                "revoked_at")

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, raw = api_key_create(
            organization=obj.organization, name=obj.name, role=obj.role,
            created_by=request.user,  # type: ignore[arg-type]
            expires_at=obj.expires_at, access=admin_access(request, obj.organization),
        )
        obj.pk = api_key.pk
        obj.prefix = api_key.prefix
        self.message_user(
            request, f"Store this key now, it will not be shown again: {raw}", messages.WARNING
        )

    @admin.action(description="Revoke the selected API keys")
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = 0
        for api_key in queryset.select_related("organization"):
            if api_key.revoked_at is None:
                api_key_revoke(access=admin_access(request, api_key.organization), api_key=api_key)
                count += 1
        self.message_user(request, f"Revoked {count} key(s).", messages.SUCCESS)


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("organization", "email", "role")


@admin.register(Invitation)
class InvitationAdmin(ScopedModelAdmin):
    form = InvitationAdminForm
    list_display = ("email", "organization", "role", "invited_by", "created_at", "expires_at",
                    "accepted_at", "accepted_by")
    list_filter = ("role", "organization", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organization__name")
    list_select_related = ("organization", "invited_by", "accepted_by")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("organization", "email", "role")
        return ("organization", "email", "role", "invited_by", "created_at", "expires_at",
                "accepted_at", "accepted_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("organization", "email", "role", "invited_by", "created_at", "accepted_at",
                "accepted_by")

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        invitation, token = invitation_create(
            access=admin_access(request, obj.organization), email=obj.email, role=obj.role
        )
        obj.pk = invitation.pk
        link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
        self.message_user(
            request, f"Send this one-time link to {obj.email}: {link}", messages.WARNING
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "organization", "actor", "api_key", "action", "object_type",
                    "object_id", "object_repr")
    list_filter = ("action", "object_type", "organization")
    search_fields = ("action", "object_type", "object_repr", "actor__username")
    list_select_related = ("organization", "actor", "api_key")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "organization", "actor", "api_key", "action", "object_type",
                       "object_id", "object_repr", "changes")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
