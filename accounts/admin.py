"""The admin of tenancy records: users, organizations, members, API keys, invitations and the
audit log. The role rules every app's admin follows are in ``accounts.admin_scoping``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from accounts.admin_bases import (
    ReadOnlyModelAdmin,
    RoleGrantingAdmin,
    ScopedModelAdmin,
    ScopedTabularInline,
    SuperuserWritesOnly,
)
from accounts.admin_scoping import (
    admin_access,
    is_unscoped,
    organization_ids_of,
    scope_queryset,
)
from accounts.models import (
    TEAM_ROLE_CHOICES,
    ApiKey,
    AuditEntry,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
)
from accounts.selectors import Access
from accounts.services import (
    api_key_create,
    api_key_revoke,
    invitation_create,
    membership_add,
    membership_remove,
    membership_set_role,
    organization_update,
)


# --- Users and organizations ----------------------------------------------------------------
class ReadOnlyMembershipInline(SuperuserWritesOnly, ScopedTabularInline):
    """Roles change through the membership admin (its services keep an owner and audit);
    here they are only listed, to owners, and superusers keep Django's plain inline."""

    model = Membership
    role_floor = {"view": Role.OWNER}
    readonly_fields = ("created_at",)


class MembershipOfUserInline(ReadOnlyMembershipInline):
    fk_name = "user"
    fields = ("organization", "role", "created_at")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The parent is a user, who has no single organization: the rows are scoped instead.
        return self.allowed(request, "view")


USER_FIELDSETS_FOR_STAFF = (
    (None, {"fields": ("username",)}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
)


@admin.register(User)
class UserAdmin(SuperuserWritesOnly, DjangoUserAdmin):
    """Only superusers change users: passwords, e-mails and admin powers are how accounts are
    taken over. Other staff may look at the members of organizations they own."""

    inlines = [MembershipOfUserInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active",
                    "last_login")
    # Members are listed on the members page to owners only; the admin follows.
    member_view_role = Role.OWNER

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(request, super().get_queryset(request), self.member_view_role)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_unscoped(request):
            return True
        organizations = set(organization_ids_of(request, self.member_view_role))
        if obj is None:
            return bool(organizations)
        return Membership.objects.filter(
            user_id=obj.pk, organization_id__in=organizations
        ).exists()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_unscoped(request) or obj is None:
            return super().get_fieldsets(request, obj)
        # No password field: its widget links to the password form.
        return USER_FIELDSETS_FOR_STAFF

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # Refused before the user is even looked up, so the answer says nothing about the id.
        if not is_unscoped(request):
            raise PermissionDenied("Only a superuser changes passwords here.")
        return super().user_change_password(request, id, form_url)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such user.")
        return obj


class MembershipInline(ReadOnlyMembershipInline):
    fk_name = "organization"
    fields = ("user", "role", "created_at")
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    list_display = ("name", "slug", "time_zone", "member_count", "created_at")
    search_fields = ("name", "slug")
    list_filter = ("time_zone",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)
    inlines = [MembershipInline]
    # The organization's settings page is the owner's.
    role_floor = {"write": Role.OWNER}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("memberships"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        # The slug is in every link to the organization; only a superuser moves it.
        return fields if is_unscoped(request) else (*fields, "slug")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return super().get_prepopulated_fields(request, obj) if is_unscoped(request) else {}

    @admin.display(description="Members", ordering="_members")
    def member_count(self, obj: Organization) -> int:
        return getattr(obj, "_members", 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A staff user's new organization would have no member and vanish from their view.
        return is_unscoped(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unscoped(request)

    def service_update(self, access: Access, obj: Organization, changes: dict[str, Any]
                       ) -> Organization:
        slug = changes.pop("slug", None)
        organization = organization_update(access=access, **changes)
        if slug is not None:  # a superuser's change (the field is read-only for others)
            organization.slug = slug
            organization.full_clean()
            organization.save(update_fields=["slug"])
        return organization


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
    # The members page is the owner's, so is this list.
    role_floor = {"view": Role.OWNER}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("organization", "user") if obj is not None else ()

    def service_create(self, access: Access, fields: dict[str, Any]) -> Membership:
        # The pages invite; an owner may add an existing account here (``access`` is already
        # in the chosen organization).
        fields.pop("organization", None)
        return membership_add(access=access, **fields)

    def service_update(self, access: Access, obj: Membership, changes: dict[str, Any]
                       ) -> Membership:
        if "role" not in changes:
            return obj
        return membership_set_role(access=access, membership=obj, role=changes["role"])

    def service_delete(self, access: Access, obj: Membership) -> bool:
        membership_remove(access=access, membership=obj)
        return True


# --- API keys and invitations ---------------------------------------------------------------
class ApiKeyAdminForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("organization", "name", "role", "expires_at")


@admin.register(ApiKey)
class ApiKeyAdmin(RoleGrantingAdmin):
    """The secret is shown once, in a message, right after it is created; only its hash is
    stored and the hash is never displayed."""

    form = ApiKeyAdminForm
    list_display = ("name", "prefix", "organization", "role", "created_at", "last_used_at",
                    "expires_at", "revoked_at")
    list_filter = ("role", "organization", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "organization__name")
    list_select_related = ("organization",)
    actions = ["revoke_keys"]

    add_fields = ("organization", "name", "role", "expires_at")
    change_fields = ("organization", "name", "role", "prefix", "created_by", "created_at",
                     "expires_at", "last_used_at", "revoked_at")
    # A key's organization and role are fixed at birth: to change them, revoke and re-issue.
    readonly_after_grant = ("organization", "role", "prefix", "created_by", "created_at",
                            "last_used_at", "revoked_at")

    def grant(self, request: HttpRequest, access: Access, obj: ApiKey) -> None:
        api_key, raw = api_key_create(
            organization=access.organization, name=obj.name, role=obj.role,
            created_by=request.user,  # type: ignore[arg-type]
            expires_at=obj.expires_at, access=access,
        )
        obj.pk = api_key.pk
        obj.prefix = api_key.prefix
        self.message_user(
            request, f"Store this key now, it will not be shown again: {raw}", messages.WARNING
        )

    @admin.action(description="Revoke the selected API keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        keys = list(queryset.select_related("organization"))
        for api_key in keys:  # all or nothing
            self.require(request, "write", api_key)
        count = 0
        for api_key in keys:
            if api_key.revoked_at is None:
                api_key_revoke(access=admin_access(request, api_key.organization), api_key=api_key)
                count += 1
        self.message_user(request, f"Revoked {count} key(s).", messages.SUCCESS)


class InvitationAdminForm(forms.ModelForm):
    # A creator is invited from the members page, which names the influencer they are.
    role = forms.ChoiceField(choices=TEAM_ROLE_CHOICES, initial=Role.VIEWER)

    class Meta:
        model = Invitation
        fields = ("organization", "email", "role")


@admin.register(Invitation)
class InvitationAdmin(RoleGrantingAdmin):
    form = InvitationAdminForm
    list_display = ("email", "organization", "role", "invited_by", "created_at", "expires_at",
                    "accepted_at", "accepted_by")
    list_filter = ("role", "organization", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organization__name")
    list_select_related = ("organization", "invited_by", "accepted_by")
    # Pending invitations are listed on the owner's members page.
    role_floor = {"view": Role.OWNER}

    add_fields = ("organization", "email", "role")
    change_fields = ("organization", "email", "role", "invited_by", "created_at", "expires_at",
                     "accepted_at", "accepted_by")
    readonly_after_grant = ("organization", "email", "role", "invited_by", "created_at",
                            "accepted_at", "accepted_by")

    def grant(self, request: HttpRequest, access: Access, obj: Invitation) -> None:
        invitation, token = invitation_create(access=access, email=obj.email, role=obj.role)
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
