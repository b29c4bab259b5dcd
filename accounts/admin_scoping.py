"""Admin for tenancy records, and the organization scoping every app's admin builds on.

Staff status only opens the admin. Superusers may do everything; for everyone else the member's
role in the object's organization decides every view, add, change, delete and action, with the
same rule the pages use (``accounts.selectors.required_role``, plus the stricter floors an admin
names in ``role_floor``). Django's model permissions grant nothing on organization-scoped models.

- Rows are those of the organizations where the role may view the model; another
  organization's object is a 404, as on the pages.
- Related choices come from organizations where the role may write the model; on save the
  object's organization (the one chosen, for a new object) is checked again and every related
  record must belong to it.
- Admins with a service save and delete through it, with ``admin_access``; the service checks
  the role once more and writes the audit log. A service's refusal re-renders the form with its
  message, and the admin's transaction leaves nothing behind.
- Fields named in ``field_roles`` (compensation) are left out of forms, lists and filters for
  roles below the one named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.db.models.fields.related import ForeignKey
from django.forms import BaseForm, ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.models import (
    ROLE_RANK,
    Membership,
    Organization,
    Role,
    User,
    higher_role,
)
from accounts.selectors import Access, Action, required_role


# --- Who may do what, where -----------------------------------------------------------------
def is_unscoped(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def roles_of(request: HttpRequest) -> dict[int, str]:
    """``{organization id: role}`` of the signed-in user (cached on the request)."""
    cached: dict[int, str] | None = getattr(request, "_admin_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user_id=request.user.pk).values_list(  # type: ignore[misc]
                "organization_id", "role"
            )
        )
        request._admin_roles = cached  # type: ignore[attr-defined]
    return cached


def organization_ids_of(request: HttpRequest, role: str = Role.VIEWER) -> list[int]:
    """The organizations where the staff user holds at least ``role``."""
    return [
        organization_id for organization_id, held in roles_of(request).items()
        if ROLE_RANK[held] >= ROLE_RANK[role]
    ]


def _organization_of_pk(request: HttpRequest | None, model: type[Model], pk: Any) -> int | None:
    cache: dict[tuple[type[Model], Any], int | None] = (
        request.__dict__.setdefault("_admin_organization_of", {}) if request is not None else {}
    )
    key = (model, pk)
    if key not in cache:
        path: str = model.organization_path  # type: ignore[attr-defined]
        cache[key] = model._default_manager.filter(pk=pk).values_list(path, flat=True).first()
    return cache[key]


def organization_id_of(obj: Model, request: HttpRequest | None = None) -> int | None:
    """The organization ``obj`` belongs to, as it stands in memory (a form's new parent counts).

    The first step of the path is read from the object; the rest is one query per distinct
    parent and request, so a deletion page listing thousands of clicks stays cheap."""
    model = type(obj)
    path: str | None = getattr(model, "organization_path", None)
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    related_id = getattr(obj, field.attname)  # type: ignore[union-attr]
    if related_id is None or not rest:
        return related_id
    return _organization_of_pk(request, field.related_model, related_id)  # type: ignore[arg-type]


def scope_queryset(
    request: HttpRequest, queryset: QuerySet[Any], role: str = Role.VIEWER
) -> QuerySet[Any]:
    """Rows of the organizations where the user holds ``role``; models without an organization
    are shared data."""
    if is_unscoped(request):
        return queryset
    model = queryset.model
    if model is User or issubclass(model, User):
        return queryset.filter(
            memberships__organization_id__in=organization_ids_of(request, role)
        ).distinct()
    path: str | None = getattr(model, "organization_path", None)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": organization_ids_of(request, role)})


def admin_access(request: HttpRequest, organization: Organization) -> Access:
    """The admin user's access in ``organization``, for calling services from the admin."""
    if is_unscoped(request):
        role: str = Role.OWNER
    else:
        held = roles_of(request).get(organization.pk)
        if held is None:
            raise Http404("Not a member of that organization.")
        role = held
    return Access(organization=organization, role=role, user=request.user)  # type: ignore[arg-type]


def _fresh_organization(organization_id: int | None) -> Organization:
    if organization_id is None:
        raise ValidationError("Choose the record's organization.")
    return Organization.objects.get(pk=organization_id)


def add_service_error(form: BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
            else:
                texts = [text for e in errors for text in e.messages]
                form.add_error(None, [f"{field}: {text}" for text in texts])
    else:
        form.add_error(None, error.messages)


class OrganizationScopedMixin:
    """Role rules shared by model admins and inlines.

    ``role_floor`` raises the least role of an action above the model's own (pages that are
    stricter than the model, e.g. costs need admin to be seen); ``field_roles`` names fields
    only a role and above may see or set."""

    model: type[Model]
    role_floor: ClassVar[Mapping[str, str]] = {}
    field_roles: ClassVar[Mapping[str, str]] = {}

    def role_for(self, action: Action) -> str:
        floor = self.role_floor.get(action, Role.VIEWER)
        needed = higher_role(required_role(self.model, action), floor)
        if action != "view":
            # Nobody writes what they may not see.
            needed = higher_role(needed, self.role_for("view"))
        return needed

    def allowed(self, request: HttpRequest, action: Action, obj: Model | None = None) -> bool:
        """``obj`` None: may the user do ``action`` in at least one organization?"""
        if is_unscoped(request):
            return True
        if not (request.user.is_active and request.user.is_staff):
            return False
        organizations = organization_ids_of(request, self.role_for(action))
        if obj is None:
            return bool(organizations)
        return organization_id_of(obj, request) in organizations

    # Model admins and inlines alike (their ``has_add_permission`` signatures differ).
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "write", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allowed(request, "delete", obj)

    def require(self, request: HttpRequest, action: Action, obj: Model) -> None:
        if not self.allowed(request, action, obj):
            raise PermissionDenied(f"This needs the {self.role_for(action)} role.")

    def hidden_fields(self, request: HttpRequest, obj: Model | None = None) -> set[str]:
        """Fields the user may not see on ``obj`` (or, without one, on every row the page may
        show: a list mixing organizations shows a column only if each of them allows it)."""
        if not self.field_roles or is_unscoped(request):
            return set()
        if obj is not None:
            organization_id = organization_id_of(obj, request)
            return {
                name for name, role in self.field_roles.items()
                if organization_id not in organization_ids_of(request, role)
            }
        shown = set(organization_ids_of(request, self.role_for("view")))
        return {
            name for name, role in self.field_roles.items()
            if not shown <= set(organization_ids_of(request, role))
        }

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(
            request, super().get_queryset(request), self.role_for("view")  # type: ignore[misc]
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related: type[Model] = db_field.remote_field.model
        if not is_unscoped(request) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(
                request, related._default_manager.all(), self.role_for("write")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return (*excluded, *sorted(hidden - set(excluded))) if hidden or excluded else None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return [name for name in fields if name not in hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        hidden = self.hidden_fields(request, obj)
        return tuple(name for name in fields if name not in hidden)

    def check_related(self, request: HttpRequest, obj: Model) -> None:
        """Every related record of ``obj`` must be in ``obj``'s own organization."""
        if is_unscoped(request):
            return
        organization_id = organization_id_of(obj, request)
        for field in obj._meta.concrete_fields:
            if not isinstance(field, ForeignKey):
                continue
            related: type[Model] = field.related_model  # type: ignore[assignment]
            related_id = getattr(obj, field.attname)
            if related_id is None or getattr(related, "organization_path", None) is None:
                continue
            if _organization_of_pk(request, related, related_id) != organization_id:
                raise ValidationError({field.name: "This record is in another organization."})


def _model_fields(form: BaseForm, names: Iterable[str], skip: Sequence[str] = ()) -> dict[str, Any]:
    model: type[Model] = form._meta.model  # type: ignore[attr-defined]
    concrete = {f.name for f in model._meta.concrete_fields if not f.primary_key}
    return {
        name: form.cleaned_data[name] for name in names
        if name in concrete and name not in skip and name in form.cleaned_data
    }


class ScopedModelAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    """Subclasses with a service implement ``service_create`` / ``service_update`` /
    ``service_delete``; without one, the role is enforced here and the row is saved as is."""

    list_per_page = 50

    # --- Permissions -----------------------------------------------------------------------
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request, "view")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.allowed(request, "write")

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        # Django's admin redirects to the index for a missing object; an object of another
        # organization must look exactly like one that does not exist: a 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object.")
        return obj

    # --- Lists ------------------------------------------------------------------------------
    def get_list_display(self, request: HttpRequest) -> Any:
        hidden = self.hidden_fields(request)
        return [name for name in super().get_list_display(request) if name not in hidden]

    def get_list_filter(self, request: HttpRequest) -> Any:
        hidden = self.hidden_fields(request)
        specs = []
        for spec in super().get_list_filter(request):
            if isinstance(spec, str) and spec.split("__")[0] in hidden:
                continue
            if isinstance(spec, str) and get_fields_from_path(self.model, spec)[-1].is_relation:
                # Django's related filter offers every row of the related table: names of
                # other organizations' brands and campaigns. Offer only those in the list.
                spec = (spec, admin.RelatedOnlyFieldListFilter)
            specs.append(spec)
        return specs

    # --- Writes -----------------------------------------------------------------------------
    def service_create(self, access: Access, fields: dict[str, Any]) -> Model | None:
        """Create through the model's service; None: there is none, save the row as is."""
        return None

    def service_update(self, access: Access, obj: Any, changes: dict[str, Any]) -> Model | None:
        """Change the stored ``obj`` through the service; None: there is none."""
        return None

    def service_delete(self, access: Access, obj: Any) -> bool:
        """Delete through the service; False: there is none."""
        return False

    def organization_for(self, request: HttpRequest, obj: Model) -> Organization:
        return _fresh_organization(organization_id_of(obj, request))

    def create_fields(self, form: BaseForm) -> dict[str, Any]:
        return _model_fields(form, form.cleaned_data)

    def update_fields(self, form: BaseForm) -> dict[str, Any]:
        return _model_fields(form, form.changed_data)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # ``change``: the stored object's organization was checked before the form was bound;
        # this checks the organization it is saved into.
        if organization_id_of(obj, request) is None and is_unscoped(request):
            # A new organization (only superusers add one) has no organization to act in yet.
            super().save_model(request, obj, form, change)
            return
        self.require(request, "write", obj)
        self.check_related(request, obj)
        access = admin_access(request, self.organization_for(request, obj))
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.service_update(access, stored, self.update_fields(form))
        else:
            saved = self.service_create(access, self.create_fields(form))
        if saved is None:
            super().save_model(request, obj, form, change)
            return
        # The admin goes on with ``obj`` (log entry, inlines, redirect): make it the saved row.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.require(request, "delete", obj)
        access = admin_access(request, self.organization_for(request, obj))
        if not self.service_delete(access, obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        objects = list(queryset)
        for obj in objects:  # all or nothing: check every row before deleting any
            self.require(request, "delete", obj)
        for obj in objects:
            try:
                self.delete_model(request, obj)
            except ValidationError as exc:
                self.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.ERROR)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        inline: ScopedInlineMixin | None = getattr(formset, "admin_inline", None)
        if inline is None or (is_unscoped(request) and not inline.has_services()):
            super().save_formset(request, form, formset, change)
            return
        inline.save_formset(request, formset)

    # --- A service's refusal ----------------------------------------------------------------
    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        error: ValidationError | None = getattr(request, "_admin_service_error", None)
        if error is None:
            return form_class

        def _post_clean(self: BaseForm) -> None:
            form_class._post_clean(self)  # type: ignore[attr-defined]
            add_service_error(self, error)

        return type(form_class.__name__, (form_class,), {"_post_clean": _post_clean})

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: dict[str, Any] | None = None
                        ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # The admin's transaction has rolled back; show the form again with the reason.
            request._admin_service_error = exc  # type: ignore[attr-defined]
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 400
            return response

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )


class SuperuserWritesOnly:
    """For records no organization owns (users, exchange rates): only superusers add, change or
    delete them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unscoped(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unscoped(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unscoped(request)


class ReadOnlyModelAdmin(ScopedModelAdmin):
    """Records written by the system (logs, computed numbers): looked at, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedInlineMixin(OrganizationScopedMixin):
    """Inline rows belong to the parent's organization, so the role there decides.

    Inlines with a service implement ``service_create(access, parent, fields)``,
    ``service_update(access, obj, changes)`` and ``service_delete(access, obj)``."""

    def service_create(self, access: Access, parent: Any, fields: dict[str, Any]) -> Model:
        raise NotImplementedError

    def service_update(self, access: Access, obj: Any, changes: dict[str, Any]) -> Model:
        raise NotImplementedError

    def service_delete(self, access: Access, obj: Any) -> None:
        raise NotImplementedError

    def has_services(self) -> bool:
        return type(self).service_create is not ScopedInlineMixin.service_create

    def has_add_permission(self, request: HttpRequest, obj: Any) -> bool:
        return self.allowed(request, "write", obj)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        # The parent admin's save_formset finds the inline (and its services) through this.
        formset.admin_inline = self
        return formset

    def save_formset(self, request: HttpRequest, formset: Any) -> None:
        parent = formset.instance
        fk_name: str = formset.fk.name
        if not self.has_services():
            for obj in formset.save(commit=False):
                self.require(request, "write", obj)
                self.check_related(request, obj)
                obj.save()
            for obj in formset.deleted_objects:
                self.require(request, "delete", obj)
                obj.delete()
            formset.save_m2m()
            return
        access = admin_access(request, _fresh_organization(organization_id_of(parent, request)))
        model = formset.model
        # What Django's formset.save() records, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for form in formset.initial_forms:
            if form.instance.pk is None:
                continue
            if formset.can_delete and formset._should_delete_form(form):
                self.require(request, "delete", form.instance)
                stored = model._default_manager.get(pk=form.instance.pk)
                self.service_delete(access, stored)
                formset.deleted_objects.append(stored)
            elif form.has_changed():
                self.require(request, "write", form.instance)
                changes = _model_fields(form, form.changed_data, skip=(fk_name,))
                stored = model._default_manager.get(pk=form.instance.pk)
                saved = self.service_update(access, stored, changes)
                formset.changed_objects.append((saved, form.changed_data))
        for form in formset.extra_forms:
            if not form.has_changed() or formset._should_delete_form(form):
                continue
            fields = _model_fields(form, form.cleaned_data, skip=(fk_name,))
            formset.new_objects.append(self.service_create(access, parent, fields))


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[misc]
    extra = 0
    show_change_link = True


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):  # type: ignore[misc]
    extra = 0
    show_change_link = True
