"""Data entry pages: forms for post metrics, follower counts and comments, and CSV imports with a
preview and a row-numbered error report before anything is saved.

An upload is copied to a private temporary file as it streams in, validated row by row, and
kept (named by a random token remembered in the session) until the user confirms; the confirm
step imports that file in one transaction. Nothing is saved when any row fails.
"""

from __future__ import annotations

import secrets
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import require_role
from campaigns.forms import apply_errors, zone_label
from campaigns.views.common import _access, member_required
from metrics import imports
from metrics.forms import CommentForm, CsvUploadForm, FollowerCountForm, PostMetricsForm
from metrics.models import COUNTERS, Source
from metrics.services.ingestion import (
    comments_ingest,
    follower_snapshots_ingest,
    post_metrics_ingest,
)

SESSION_KEY = "csv_imports"
STALE_AFTER = 24 * 60 * 60


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "funnelboard-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _writer(request: HttpRequest) -> Any:
    access = _access(request)
    require_role(access, Role.MANAGER)
    return access


@member_required
def index(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return render(
        request, "metrics/entry/index.html",
        {"kinds": imports.KINDS.values(), "can_edit": access.has_role(Role.MANAGER)},
    )


def _form_page(request: HttpRequest, form: Any, title: str, intro: str) -> HttpResponse:
    return render(
        request, "metrics/entry/form.html", {"form": form, "title": title, "intro": intro},
        status=400 if request.method == "POST" else 200,
    )


@member_required
def post_metrics_new(request: HttpRequest) -> HttpResponse:
    """The post-metrics form; ``?post=<id>`` (from "Add a post") picks the post. Times are
    read and shown in the organization's time zone."""
    access = _writer(request)
    initial = {"post": request.GET.get("post"), "captured_at": timezone.now()}
    with timezone.override(access.organization.tzinfo):
        form = PostMetricsForm(
            request.POST or None, access=access, initial=initial,
            zone=zone_label(access.organization),
        )
        if request.method == "POST" and form.is_valid():
            item = {name: form.cleaned_data.get(name) for name in COUNTERS}
            item.update(post=form.cleaned_data["post"], captured_at=form.cleaned_data["captured_at"])
            try:
                post_metrics_ingest(
                    organization=access.organization, items=[item], source=Source.MANUAL
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Post metrics saved; the KPIs will refresh shortly.")
                )
                return redirect("metrics_entry:post_metrics")
        return _form_page(
            request, form, _("Enter post metrics"),
            _("Totals of a post as the platform shows them at one moment. Empty means not "
              "reported."),
        )


@member_required
def followers_new(request: HttpRequest) -> HttpResponse:
    access = _writer(request)
    form = FollowerCountForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        item = {k: form.cleaned_data.get(k) for k in ("brand_account", "social_account", "date", "followers")}
        try:
            follower_snapshots_ingest(
                organization=access.organization, items=[item], source=Source.MANUAL
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Follower count saved."))
            return redirect("metrics_entry:followers")
    return _form_page(
        request, form, _("Enter a follower count"),
        _("The followers of a brand account (audience growth) or a creator account on a day."),
    )


@member_required
def comment_new(request: HttpRequest) -> HttpResponse:
    access = _writer(request)
    form = CommentForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = {
            "post": data["post"],
            "external_id": data.get("external_id") or f"manual-{uuid.uuid4().hex}",
            "text": data["text"],
            "posted_at": data["posted_at"],
        }
        try:
            comments_ingest(organization=access.organization, items=[item], source=Source.MANUAL)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Comment saved and labelled for sentiment."))
            return redirect("metrics_entry:comment")
    return _form_page(
        request, form, _("Enter a comment"), _("A comment on one of the campaign posts."),
    )


# --- CSV import -------------------------------------------------------------------------------
def _kind(kind: str) -> imports.ImportKind:
    try:
        return imports.KINDS[kind]
    except KeyError:
        raise Http404(_("No such import.")) from None


def _remove_stale_uploads() -> None:
    cutoff = time.time() - STALE_AFTER
    for path in upload_dir().glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _save_upload(upload: Any) -> tuple[str, Path]:
    token = secrets.token_urlsafe(18)
    path = upload_dir() / f"{token}.csv"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return token, path


@member_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    import_kind = _kind(kind)
    access = _writer(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"kind": import_kind, "form": form}
    if request.method == "POST" and form.is_valid():
        _remove_stale_uploads()
        token, path = _save_upload(form.cleaned_data["file"])
        with path.open("rb") as binary:
            report = imports.validate(import_kind, access.organization, imports.text_stream(binary))
        context["report"] = report
        if report.ok:
            request.session.setdefault(SESSION_KEY, {})[token] = {
                "kind": import_kind.key,
                "organization": access.organization.pk,
                "name": form.cleaned_data["file"].name,
                "rows": report.rows,
            }
            request.session.modified = True
            context["token"] = token
        else:
            path.unlink(missing_ok=True)
    # A file with bad rows is an answered question (the report), not a failed request: 200.
    return render(request, "metrics/entry/import.html", context)


@member_required
@require_POST
def import_confirm(request: HttpRequest, kind: str) -> HttpResponse:
    import_kind = _kind(kind)
    access = _writer(request)
    token = request.POST.get("token", "")
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.get(token)
    if (
        not entry
        or entry["kind"] != import_kind.key
        or entry["organization"] != access.organization.pk
    ):
        messages.error(request, _("That upload has expired; please upload the file again."))
        return redirect("metrics_entry:import", kind=import_kind.key)
    path = upload_dir() / f"{token}.csv"
    try:
        with path.open("rb") as binary:
            report = imports.run(import_kind, access.organization, imports.text_stream(binary))
    except FileNotFoundError:
        messages.error(request, _("That upload has expired; please upload the file again."))
        return redirect("metrics_entry:import", kind=import_kind.key)
    except imports.ImportFailed as failed:
        context = {"kind": import_kind, "form": CsvUploadForm(), "report": failed.report}
        return render(request, "metrics/entry/import.html", context)
    finally:
        pending.pop(token, None)
        request.session.modified = True
        path.unlink(missing_ok=True)
    messages.success(request, _(
        "Imported %(rows)s rows of %(kind)s from %(name)s: %(created)s new, %(updated)s updated."
    ) % {
        "rows": f"{report.rows:,}", "kind": import_kind.title.lower(), "name": entry["name"],
        "created": f"{report.created:,}", "updated": f"{report.updated:,}",
    })
    return redirect(reverse("metrics_entry:index"))
