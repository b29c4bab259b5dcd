"""The admin classes every app's admin builds on, with the rules of ``accounts.admin_scoping``.

- Admins with a service save and delete through it, with ``admin_access``; the service checks
  the role once more and writes the audit log. A service's refusal re-renders the form with its
  message, and the admin's transaction leaves nothing behind.
- Inline rows belong to the parent's organization and go through the inline's services too.
- Records that hand out a role (API keys, invitations) never hand one above the member's own.
- Records written by the system are read-only; records no organization owns are the
  superusers'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, Model, QuerySet, URLField
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.admin_scoping import (
    OrganizationScopedMixin,
    admin_access,
    is_unscoped,
    organization_id_of,
)
from accounts.models import ROLE_RANK, Organization
from accounts.selectors import Access


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


def _model_fields(form: BaseForm, names: Iterable[str], skip: Sequence[str] = ()) -> dict[str, Any]:
    model: type[Model] = form._meta.model  # type: ignore[attr-defined]
    concrete = {f.name for f in model._meta.concrete_fields if not f.primary_key}
    return {
        name: form.cleaned_data[name] for name in names
        if name in concrete and name not in skip and name in form.cleaned_data
    }


# An address typed without a scheme is taken as https, as on the pages' forms.
HTTPS_URLS: Mapping[type[Field[Any, Any]], Mapping[str, Any]] = {
    URLField: {"assume_scheme": "https"},
}


class ScopedModelAdmin(OrganizationScopedMixin, admin.ModelAdmin):
    """Subclasses with a service implement ``service_create`` / ``service_update`` /
    ``service_delete``; without one, the role is enforced here and the row is saved as is."""

    list_per_page = 50
    formfield_overrides = HTTPS_URLS

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


def _refuse_stronger_role(access: Access, role: str) -> None:
    if ROLE_RANK[role] > ROLE_RANK[access.role]:
        raise PermissionDenied("Nobody hands out a role above their own.")


class RoleGrantingAdmin(ScopedModelAdmin):
    """Records that hand a role in the organization to someone else (API keys, invitations).

    One is added with ``add_fields`` through ``grant``, never with a role above the member's
    own; once added, the ``readonly_after_grant`` fields of ``change_fields`` stay as they are."""

    add_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
    readonly_after_grant: tuple[str, ...] = ()

    def grant(self, request: HttpRequest, access: Access, obj: Any) -> None:
        """Create ``obj`` through its service, give ``obj`` the new row's primary key and tell
        the member, once, what to pass on."""
        raise NotImplementedError

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fields if obj is None else self.change_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_after_grant

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        self.require(request, "write", obj)
        access = admin_access(request, self.organization_for(request, obj))
        _refuse_stronger_role(access, obj.role)
        self.grant(request, access, obj)
        obj._state.adding = False


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

    formfield_overrides = HTTPS_URLS

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
