"""Writes on PlatformConnection: connect, store refreshed tokens, disconnect, and the sync
bookkeeping (last sync, last error, next slot). Tokens are encrypted here and nowhere else."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import BrandAccount
from influencers.models import SocialAccount
from metrics.connectors.base import ConnectorError, redact
from metrics.connectors.crypto import TokenDecryptError, token_decrypt, token_encrypt
from metrics.connectors.oauth import TokenSet, token_revoke
from metrics.models import ConnectionStatus, PlatformConnection

logger = logging.getLogger(__name__)

DAY = dt.timedelta(days=1)
MIN_GAP = dt.timedelta(hours=12)  # a catch-up run never lands two syncs closer than this
ERROR_MAX_LENGTH = 1000


def daily_slot(connection_id: int) -> dt.timedelta:
    """A stable time of day (UTC) for the connection, spread evenly over the 24 hours so the
    platforms' quotas are spent across the day instead of at midnight."""
    digest = hashlib.sha256(f"connection-slot:{connection_id}".encode()).digest()
    return dt.timedelta(seconds=int.from_bytes(digest[:4], "big") % 86_400)


def slot_after(connection_id: int, moment: dt.datetime) -> dt.datetime:
    """The connection's first daily slot strictly after ``moment``."""
    moment = moment.astimezone(dt.UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    candidate = midnight + daily_slot(connection_id)
    while candidate <= moment:
        candidate += DAY
    return candidate


def next_sync_after_run(connection_id: int, ran_at: dt.datetime) -> dt.datetime:
    return slot_after(connection_id, ran_at + MIN_GAP)


@transaction.atomic
def connection_connect(
    *,
    organization: Organization,
    account: SocialAccount | BrandAccount,
    platform: str,
    tokens: TokenSet,
    now: dt.datetime | None = None,
) -> PlatformConnection:
    """Store (or replace) the account's connection with freshly granted tokens and queue its
    first sync right away."""
    now = now or timezone.now()
    field = "social_account" if isinstance(account, SocialAccount) else "brand_account"
    connection = (
        PlatformConnection.objects.select_for_update().filter(**{field: account}).first()
        or PlatformConnection(organization=organization, **{field: account})
    )
    connection.organization = organization
    connection.platform = platform
    connection.external_account_id = tokens.account_id
    connection.encrypted_access_token = token_encrypt(tokens.access_token)
    connection.encrypted_refresh_token = token_encrypt(tokens.refresh_token)
    connection.token_expires_at = tokens.expires_at
    connection.scopes = tokens.scopes[:500]
    connection.status = ConnectionStatus.ACTIVE
    connection.connected_at = now
    connection.last_error = ""
    connection.full_clean()
    connection.save()
    connection.next_sync_at = next_sync_after_run(connection.pk, now)
    connection.save(update_fields=["next_sync_at"])
    connection_sync_request(connection=connection)
    return connection


@transaction.atomic
def connection_store_tokens(*, connection: PlatformConnection, tokens: TokenSet) -> None:
    """Persist refreshed tokens (right away, so a rotated refresh token is never lost)."""
    connection.encrypted_access_token = token_encrypt(tokens.access_token)
    if tokens.refresh_token:
        connection.encrypted_refresh_token = token_encrypt(tokens.refresh_token)
    connection.token_expires_at = tokens.expires_at
    fields = ["encrypted_access_token", "encrypted_refresh_token", "token_expires_at"]
    if tokens.scopes:
        connection.scopes = tokens.scopes[:500]
        fields.append("scopes")
    connection.save(update_fields=fields)


def connection_disconnect(*, connection: PlatformConnection) -> bool:
    """Revoke the grant at the platform (best effort) and forget the tokens. True when the
    platform confirmed the revocation. The connection row stays, as the history of where the
    numbers came from."""
    revoked = False
    try:
        access = token_decrypt(connection.encrypted_access_token)
        refresh = token_decrypt(connection.encrypted_refresh_token)
    except TokenDecryptError:
        access = refresh = ""
    if access or refresh:
        try:
            revoked = token_revoke(
                platform=connection.platform, access_token=access, refresh_token=refresh
            )
        except ConnectorError as exc:
            # The user asked to disconnect: the tokens go regardless; the failure is recorded.
            logger.warning("connection %s: revocation failed: %s", connection.pk,
                           redact(str(exc), access, refresh))
    with transaction.atomic():
        locked = PlatformConnection.objects.select_for_update().get(pk=connection.pk)
        locked.encrypted_access_token = ""
        locked.encrypted_refresh_token = ""
        locked.token_expires_at = None
        locked.status = ConnectionStatus.REVOKED
        locked.next_sync_at = None
        locked.last_error = "" if revoked or not (access or refresh) else (
            "Disconnected here; the platform did not confirm the revocation — remove the app in "
            "the account's settings to be sure."
        )
        locked.save(update_fields=[
            "encrypted_access_token", "encrypted_refresh_token", "token_expires_at", "status",
            "next_sync_at", "last_error",
        ])
    connection.refresh_from_db()
    return revoked


def connection_mark_synced(*, connection: PlatformConnection, now: dt.datetime) -> None:
    PlatformConnection.objects.filter(pk=connection.pk).update(
        last_synced_at=now, last_error="", status=ConnectionStatus.ACTIVE,
    )
    connection.last_synced_at, connection.last_error = now, ""
    connection.status = ConnectionStatus.ACTIVE


def connection_mark_failed(
    *, connection: PlatformConnection, message: str, status: str | None = None
) -> None:
    """Record the error shown on the connections page. ``status`` None keeps the current one
    (a transient failure that will be retried)."""
    values: dict[str, object] = {"last_error": message[:ERROR_MAX_LENGTH]}
    if status is not None:
        values["status"] = status
    PlatformConnection.objects.filter(pk=connection.pk).exclude(
        status=ConnectionStatus.REVOKED
    ).update(**values)
    connection.refresh_from_db(fields=["last_error", "status"])


def connection_sync_request(*, connection: PlatformConnection) -> None:
    """Queue a sync of the connection once the current transaction commits."""
    from metrics.connectors.tasks import sync_connection

    connection_id = connection.pk
    # robust: in eager mode the sync runs right here, and its failure (already recorded on the
    # connection) must not fail the request that asked for it.
    transaction.on_commit(lambda: sync_connection.delay(connection_id), robust=True)
