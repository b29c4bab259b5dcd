"""Connections pages: the organization's connected accounts, OAuth connect/disconnect, "sync
now" and the CSV import of platform exports. Owners and admins manage connections; managers
import files; everyone in the organization reads. Another organization's object is a 404."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import Access, get_object_for, require_role, scoped
from campaigns.models import BrandAccount
from influencers.models import Platform, SocialAccount
from metrics.connectors.base import ConnectorError
from metrics.connectors.csv_exports import CsvImportError, csv_export_import
from metrics.connectors.forms import CsvExportForm
from metrics.connectors.oauth import (
    PROVIDERS,
    SUPPORTED_PLATFORMS,
    OAuthStateError,
    authorize_url,
    code_exchange,
    new_nonce,
    state_sign,
    state_verify,
)
from metrics.connectors.services import (
    connection_connect,
    connection_disconnect,
    connection_sync_request,
)
from metrics.models import ConnectionStatus, PlatformConnection

logger = logging.getLogger(__name__)

NONCE_SESSION_KEY = "connectors_oauth_nonce"
SYNC_NOW_COOLDOWN = 60  # seconds between two "sync now" of one connection
ACCOUNT_MODELS: dict[str, type[SocialAccount] | type[BrandAccount]] = {
    "social": SocialAccount,
    "brand": BrandAccount,
}


def _access(request: HttpRequest) -> Access:
    access: Access | None = request.access  # type: ignore[attr-defined]
    if not access:
        raise Http404(_("No organization."))
    return access


def _redirect_uri(platform: str) -> str:
    return settings.FUNNELBOARD_BASE_URL + reverse("connectors:callback", args=[platform])


@login_required
@require_GET
def connection_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    connections = (
        scoped(access.organization, PlatformConnection)
        .select_related("social_account__influencer", "brand_account__brand")
        .order_by("platform", "pk")
    )
    live = [ConnectionStatus.ACTIVE, ConnectionStatus.ERROR]
    creator_accounts = (
        scoped(access.organization, SocialAccount)
        .filter(platform__in=SUPPORTED_PLATFORMS)
        .exclude(connection__status__in=live)
        .select_related("influencer")
        .order_by("influencer__name", "platform", "handle")
    )
    brand_accounts = (
        scoped(access.organization, BrandAccount)
        .filter(platform__in=SUPPORTED_PLATFORMS)
        .exclude(connection__status__in=live)
        .select_related("brand")
        .order_by("brand__name", "platform", "handle")
    )
    reasons = unconfigured_reasons()
    rows: list[Any] = [*connections, *creator_accounts, *brand_accounts]
    for row in rows:  # why its Connect/Reconnect button is disabled, "" when it is live
        row.connect_blocked = reasons.get(row.platform, "")
    return render(request, "connectors/connections.html", {
        "connections": connections,
        "creator_accounts": creator_accounts,
        "brand_accounts": brand_accounts,
        "can_manage": access.has_role(Role.ADMIN),
        "can_import": access.has_role(Role.MANAGER),
        "unconfigured": sorted(reasons),
    })


def unconfigured_reason(platform: str) -> str:
    label = Platform(platform).label
    return _(
        "The %(platform)s app isn't configured on this server — see README → Platform connections."
    ) % {"platform": label}


def unconfigured_reasons() -> dict[str, str]:
    """Platform → why it cannot be connected here, for each platform whose OAuth app lacks its
    id or secret."""
    return {p: unconfigured_reason(p) for p, provider in PROVIDERS.items() if not provider.configured}


@login_required
@require_POST
def connection_connect_start(request: HttpRequest) -> HttpResponse:
    """Send the admin to the platform's consent screen for one of the organization's accounts
    (``account`` = ``social:<id>`` or ``brand:<id>``)."""
    access = _access(request)
    kind, _colon, raw_id = request.POST.get("account", "").partition(":")
    model = ACCOUNT_MODELS.get(kind)
    if model is None:
        return HttpResponse("account: expected social:<id> or brand:<id>.", status=400)
    account = get_object_for(access, model, raw_id)
    require_role(access, Role.ADMIN)
    provider = PROVIDERS.get(account.platform)
    if provider is None:
        messages.error(request, _("%(platform)s accounts cannot be connected.") % {
            "platform": account.get_platform_display(),
        })
        return redirect("connectors:list")
    if not provider.configured:
        messages.error(request, unconfigured_reason(account.platform))
        return redirect("connectors:list")
    nonce = new_nonce()
    request.session[NONCE_SESSION_KEY] = nonce
    state = state_sign(
        organization_id=access.organization.pk, user_id=int(request.user.pk or 0), account_kind=kind,
        account_id=account.pk, platform=account.platform, nonce=nonce,
    )
    url = authorize_url(
        platform=account.platform, state=state, redirect_uri=_redirect_uri(account.platform)
    )
    return HttpResponseRedirect(url)


@login_required
@require_GET
def oauth_callback(request: HttpRequest, platform: str) -> HttpResponse:
    access = _access(request)
    if platform not in PROVIDERS:
        raise Http404(_("Unknown platform."))
    try:
        state = state_verify(request.GET.get("state", ""))
    except OAuthStateError as exc:
        return render(request, "connectors/callback_error.html", {"message": str(exc)}, status=400)
    # A state of another organization or user (or another browser) never completes here.
    if state["o"] != access.organization.pk or state["u"] != request.user.pk:
        raise Http404(_("No such connection request."))
    expected_nonce = request.session.pop(NONCE_SESSION_KEY, None)
    if not expected_nonce or expected_nonce != state["n"] or state["p"] != platform:
        return render(request, "connectors/callback_error.html", {
            "message": _("This connection request was not started in this browser; start again."),
        }, status=400)
    model = ACCOUNT_MODELS.get(state["k"])
    if model is None:
        raise Http404(_("No such account."))
    account = get_object_for(access, model, state["a"])
    require_role(access, Role.ADMIN)
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _(
            "%(account)s was not connected: the permission was not granted."
        ) % {"account": account})
        return redirect("connectors:list")
    try:
        tokens = code_exchange(
            platform=platform, code=request.GET["code"], redirect_uri=_redirect_uri(platform)
        )
    except ConnectorError as exc:
        logger.warning("connect %s failed: %s", platform, exc)
        messages.error(request, _("%(account)s was not connected: %(error)s") % {
            "account": account, "error": exc,
        })
        return redirect("connectors:list")
    connection_connect(
        organization=access.organization, account=account, platform=platform, tokens=tokens
    )
    messages.success(request, _("%(account)s is connected; its first sync has started.") % {
        "account": account,
    })
    return redirect("connectors:list")


def _managed_connection(request: HttpRequest, pk: int) -> PlatformConnection:
    access = _access(request)
    connection = get_object_for(access, PlatformConnection, pk)
    require_role(access, Role.ADMIN)
    return connection


@login_required
@require_POST
def connection_disconnect_view(request: HttpRequest, pk: int) -> HttpResponse:
    connection = _managed_connection(request, pk)
    if connection.status == ConnectionStatus.REVOKED:
        messages.info(request, _("That account was already disconnected."))
        return redirect("connectors:list")
    revoked = connection_disconnect(connection=connection)
    if revoked:
        messages.success(request, _("Disconnected; the platform revoked Funnelboard's access."))
    else:
        messages.success(request, _("Disconnected; Funnelboard no longer holds the account's "
                                    "token. The collected numbers stay."))
    return redirect("connectors:list")


@login_required
@require_POST
def connection_sync_now(request: HttpRequest, pk: int) -> HttpResponse:
    connection = _managed_connection(request, pk)
    if connection.status == ConnectionStatus.REVOKED:
        messages.error(request, _("Connect the account again before syncing it."))
        return redirect("connectors:list")
    if not cache.add(f"connector-sync-now:{connection.pk}", 1, timeout=SYNC_NOW_COOLDOWN):
        messages.info(request, _("A sync of this account was requested a moment ago."))
        return redirect("connectors:list")
    with transaction.atomic():
        connection_sync_request(connection=connection)
    messages.success(request, _("Sync requested; the numbers arrive in a minute or two."))
    return redirect("connectors:list")


@login_required
@require_http_methods(["GET", "POST"])
def csv_import(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    require_role(access, Role.MANAGER)
    errors: list[str] = []
    if request.method == "POST":
        form = CsvExportForm(request.POST, request.FILES)
        if form.is_valid():
            captured_at = form.cleaned_data["captured_at"] or timezone.now()
            try:
                created, updated = csv_export_import(
                    organization=access.organization, platform=form.cleaned_data["platform"],
                    text=form.cleaned_data["file"], captured_at=captured_at,
                )
            except CsvImportError as exc:
                errors = [str(e) for e in exc.errors[:50]]
            else:
                messages.success(
                    request, _("Imported: %(created)s new snapshot(s), %(updated)s updated.") % {
                        "created": created, "updated": updated,
                    }
                )
                return redirect("connectors:csv_import")
        status = 400
    else:
        form = CsvExportForm()
        status = 200
    return render(
        request, "connectors/csv_import.html", {"form": form, "errors": errors}, status=status
    )
