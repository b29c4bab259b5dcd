"""The connection services (metrics/connectors/services.py): daily sync slots spread over the
day, and disconnecting forgets the tokens even when the platform does not confirm."""

from __future__ import annotations

import datetime as dt

import responses

from metrics.connectors.services import connection_disconnect, daily_slot, slot_after
from metrics.models import ConnectionStatus
from tests.metrics.connectors.connector_helpers import connected_account


def test_slots_spread_connections_over_the_day() -> None:
    hours = {int(daily_slot(pk).total_seconds() // 3600) for pk in range(1, 400)}
    assert len(hours) == 24
    moment = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    first = slot_after(7, moment)
    assert moment < first <= moment + dt.timedelta(days=1)
    assert slot_after(7, first) == first + dt.timedelta(days=1)


@responses.activate
def test_a_failed_revocation_still_forgets_the_tokens(org, settings) -> None:
    settings.YOUTUBE_CLIENT_ID, settings.YOUTUBE_CLIENT_SECRET = "cid", "csecret"
    connection, _, _ = connected_account(org, platform="youtube")
    responses.post("https://oauth2.googleapis.com/revoke", status=503, body="")
    assert connection_disconnect(connection=connection) is False
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REVOKED
    assert connection.encrypted_access_token == "" and connection.encrypted_refresh_token == ""
    assert "did not confirm" in connection.last_error
