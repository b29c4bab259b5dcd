"""Pages of the accounts app: the organization switcher, the owners' pages (members, API keys,
audit log, settings), the invitation link (joining, or creating an account to join) and the
few places where allauth's pages are fitted. Every change is a POST through a service."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.utils import complete_signup
from allauth.account.views import EmailView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.adapters import SESSION_INVITATION_KEY, held_invitation
from accounts.audit_log import with_sentences
from accounts.forms import (
    ApiKeyForm,
    InvitationForm,
    InvitationSignupForm,
    RoleForm,
)
from accounts.middleware import SESSION_ORGANIZATION_KEY
from accounts.models import TEAM_ROLE_CHOICES, ApiKey, AuditEntry, Invitation, Membership, Role
from accounts.selectors import (
    Access,
    email_address_of,
    get_object_for,
    invitation_by_token,
    members_of,
    memberships_of,
    require_role,
    visible,
)
from accounts.services import (
    api_key_create,
    api_key_revoke,
    email_address_adopt,
    invitation_accept,
    invitation_create,
    invitation_refusal,
    invitation_revoke,
    invitation_signup,
    membership_remove,
    membership_set_role,
)

View = Callable[..., HttpResponse]


@login_required
@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organizations the current one (others are ignored)."""
    wanted = request.POST.get("organization", "")
    for membership in memberships_of(request.user):  # type: ignore[arg-type]
        if str(membership.organization_id) == wanted:
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            break
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect("dashboard")


def owner_page(view: Callable[..., HttpResponse]) -> View:
    """Signed in, in an organization, as its owner (else 403); objects come via the checkpoint."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access: Access | None = request.access  # type: ignore[attr-defined]
        if not access:
            return render(request, "accounts/no_organization.html", status=403)
        require_role(access, Role.OWNER)
        return view(request, access, *args, **kwargs)

    return wrapped


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Members --------------------------------------------------------------------------------
def _members_page(
    request: HttpRequest, access: Access, *, invite_form: InvitationForm | None = None,
    invitation_link: str = "", status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    pending = visible(access, Invitation).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("invited_by", "influencer")
    members = list(members_of(access.organization).select_related("influencer"))
    owners = sum(1 for m in members if m.role == Role.OWNER)
    return render(
        request,
        "accounts/members.html",
        {
            "members": members,
            "owner_count": owners,
            "pending": pending,
            "invite_form": invite_form or InvitationForm(
                organization=access.organization, initial=_invite_initial(request)
            ),
            "invitation_link": invitation_link,
            "roles": TEAM_ROLE_CHOICES,
            "tab": "members",
        },
        status=status,
    )


def _invite_initial(request: HttpRequest) -> dict[str, str]:
    """``?role=creator&influencer=<id>`` (the creator's page links here): the form preset."""
    return {name: request.GET[name] for name in ("role", "influencer") if request.GET.get(name)}


@require_GET
@owner_page
def members(request: HttpRequest, access: Access) -> HttpResponse:
    return _members_page(request, access)


@require_POST
@owner_page
def member_invite(request: HttpRequest, access: Access) -> HttpResponse:
    form = InvitationForm(request.POST, organization=access.organization)
    if not form.is_valid():
        return _members_page(request, access, invite_form=form, status=400)
    try:
        invitation, token = invitation_create(
            access=access, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
            influencer=form.cleaned_data.get("influencer"),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _members_page(request, access, invite_form=form, status=400)
    # Rendered, not redirected: the token is shown this once and must not sit in a cookie.
    link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
    messages.success(
        request, _("Invitation for %(email)s created.") % {"email": invitation.email}
    )
    return _members_page(request, access, invitation_link=link)


@require_POST
@owner_page
def member_role(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    membership = get_object_for(
        access, Membership, pk, action="write",
        queryset=Membership.objects.select_related("user", "organization"),
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("accounts:members")
    try:
        membership_set_role(access=access, membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(username)s is now %(role)s.") % {
            "username": membership.user.username,
            "role": membership.get_role_display().lower(),
        })
    return redirect("accounts:members")


@require_POST
@owner_page
def member_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    membership = get_object_for(
        access, Membership, pk, action="delete",
        queryset=Membership.objects.select_related("user", "organization"),
    )
    username = membership.user.username
    try:
        membership_remove(access=access, membership=membership)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(username)s no longer belongs to %(organization)s.") % {
            "username": username, "organization": access.organization.name,
        })
    return redirect("accounts:members")


@require_POST
@owner_page
def invitation_revoke_view(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    invitation = get_object_for(access, Invitation, pk, action="write")
    try:
        invitation_revoke(access=access, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if invitation.email:
            text = _("Invitation for %(email)s withdrawn.") % {"email": invitation.email}
        else:
            text = _("Invitation for anyone withdrawn.")
        messages.success(request, text)
    return redirect("accounts:members")


# --- Invitations ----------------------------------------------------------------------------
# Why a link cannot be used → the invalid page's status (gone for good, or not for this user).
REFUSAL_STATUS = {"accepted": 410, "revoked": 410, "expired": 410, "email": 403}


def _refused(request: HttpRequest, invitation: Invitation | None, reason: str) -> HttpResponse:
    return render(
        request, "accounts/invitation_invalid.html", {"reason": reason, "invitation": invitation},
        status=404 if invitation is None else REFUSAL_STATUS.get(reason, 410),
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link an owner sent: a signed-in user joins; a signed-out person creates an account
    on this page, or signs in and comes back.

    A link works once, until it expires or is withdrawn, and — when it names an e-mail address —
    only for that address. Both the page and the acceptance check all of it."""
    found = invitation_by_token(token)
    if found is None:
        return _refused(request, None, "unknown")
    if not request.user.is_authenticated:
        return _invitation_signup(request, found, token)
    user = request.user
    refusal = invitation_refusal(found, user)
    if refusal is None and request.method == "POST":
        try:
            membership = invitation_accept(invitation=found, user=user)
        except ValidationError as exc:  # a race: used or withdrawn since the check above
            refusal = exc
        else:
            request.session.pop(SESSION_INVITATION_KEY, None)
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            messages.success(
                request, _("Welcome to %(organization)s.") % {
                    "organization": found.organization.name
                }
            )
            return redirect("dashboard")
    if refusal is not None:
        return _refused(request, found, refusal.code or "unknown")
    already = Membership.objects.filter(organization=found.organization, user=user).first()
    return render(
        request, "accounts/invitation.html", {"invitation": found, "membership": already}
    )


def _invitation_signup(request: HttpRequest, found: Invitation, token: str) -> HttpResponse:
    """Signed out: the invitation, a form to create an account and join, and a way to sign in
    to an existing account and accept. Opening the link is what opens sign-up (the adapter)."""
    refusal = invitation_refusal(found)
    if refusal is not None:
        return _refused(request, found, refusal.code or "unknown")
    request.session[SESSION_INVITATION_KEY] = token
    if not get_account_adapter(request).is_open_for_signup(request):
        return _refused(request, found, "unknown")
    form = InvitationSignupForm(request.POST or None, invitation=found)
    if request.method == "POST" and form.is_valid():
        try:
            membership = invitation_signup(
                invitation=found, username=form.cleaned_data["username"],
                email=form.cleaned_data["email"], password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            code = getattr(exc, "code", None)
            if code in REFUSAL_STATUS:  # used or withdrawn meanwhile: no account was made
                return _refused(request, found, code)
            form.add_error(None, exc)
        else:
            request.session.pop(SESSION_INVITATION_KEY, None)
            response = complete_signup(
                request, membership.user, settings.ACCOUNT_EMAIL_VERIFICATION,
                reverse("dashboard"),
            )
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            messages.success(
                request, _("Welcome to %(organization)s.") % {
                    "organization": found.organization.name
                }
            )
            return response
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    return render(
        request, "accounts/invitation.html",
        {"invitation": found, "form": form, "login_url": login_url},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """allauth's sign-up address: there is no open sign-up, only the invitation page."""
    held = held_invitation(request)
    if held is None:
        return render(request, "account/signup_closed.html", status=403)
    return redirect("accounts:invitation", token=held[1])


class EmailAddressesView(EmailView):
    """allauth's e-mail addresses page, except that only a verified address can become the
    primary one: the primary address is the account's e-mail, which invitations are bound to."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            email_address_adopt(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "action_primary" in request.POST:
            chosen = email_address_of(request.user, request.POST.get("email", ""))  # type: ignore[arg-type]
            if chosen is not None and not chosen.verified:
                messages.error(
                    request, _("Verify this address before making it your primary one.")
                )
                return redirect("account_email")
        return super().post(request, *args, **kwargs)


# --- API keys -------------------------------------------------------------------------------
def _api_keys_page(
    request: HttpRequest, access: Access, *, form: ApiKeyForm | None = None, new_key: str = "",
    status: int = 200,
) -> HttpResponse:
    keys = visible(access, ApiKey).select_related("created_by")
    return render(
        request,
        "accounts/api_keys.html",
        {"keys": keys, "form": form or ApiKeyForm(), "new_key": new_key, "now": timezone.now(),
         "tab": "api_keys"},
        status=status,
    )


@require_GET
@owner_page
def api_keys(request: HttpRequest, access: Access) -> HttpResponse:
    return _api_keys_page(request, access)


@require_POST
@owner_page
def api_key_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _api_keys_page(request, access, form=form, status=400)
    try:
        api_key, raw = api_key_create(
            access=access, name=form.cleaned_data["name"], role=form.cleaned_data["role"],
            expires_at=form.expires_at(),
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _api_keys_page(request, access, form=form, status=400)
    messages.success(request, _("API key “%(name)s” created.") % {"name": api_key.name})
    # Shown in this response only; it is stored as a hash and can never be displayed again.
    return _api_keys_page(request, access, new_key=raw)


@require_POST
@owner_page
def api_key_revoke_view(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    api_key = get_object_for(access, ApiKey, pk, action="write")
    api_key_revoke(access=access, api_key=api_key)
    messages.success(request, _("API key “%(name)s” revoked.") % {"name": api_key.name})
    return redirect("accounts:api_keys")


# --- Audit log ------------------------------------------------------------------------------
@require_GET
@owner_page
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    entries = visible(access, AuditEntry).select_related("actor", "api_key").order_by(
        "-created_at", "-pk"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    with_sentences(access.organization, page.object_list)
    return render(request, "accounts/audit_log.html", {"page": page, "tab": "audit"})
