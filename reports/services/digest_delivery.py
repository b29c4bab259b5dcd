"""Build one digest and e-mail it to each of its recipients, recording every outcome.

Called by ``reports.tasks.deliver_digest`` once per attempt. The first attempt stores the
figures and issues the digest's share link; a retry reuses both, so every recipient of one
digest reads the same numbers and the same link. Each attempt sends only the deliveries not
yet sent, each claimed with a conditional UPDATE first, so a retry or a duplicated task never
mails a recipient twice (short of a crash between the server's "250 OK" and our UPDATE — SMTP
offers no exactly-once).

Outcomes per delivery: sent; refused for good (a 5xx answer — a bounce at RCPT or DATA, or an
address the backend cannot use) → failed at once, the others unaffected; a transient failure
(a 4xx answer, a refused or dropped connection, a timeout) → retrying, or failed with the
error kept on the last attempt (``final``).
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.text import slugify

from accounts.branding import organization_branding
from metrics.connectors.crypto import TokenDecryptError, token_decrypt, token_encrypt
from metrics.report_context import report_context
from metrics.selectors.reports import client_report
from reports import narrative
from reports.digest_email import DigestContent, digest_message, subject_for
from reports.digest_figures import figures_from, with_changes
from reports.models import DeliveryStatus, DigestDelivery, DigestSend
from reports.selectors import share_url
from reports.services.share_links import share_link_issue

logger = logging.getLogger(__name__)

SHARE_LINK_DAYS = 90
OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
MAX_ERROR = 1000


class DeliveryOutcome(NamedTuple):
    status: str
    error: str = ""


def digest_deliver(send_id: int, *, final: bool = False) -> DeliveryOutcome:
    """One attempt at the send's open deliveries; the send's status afterwards."""
    send = (
        DigestSend.objects.select_related("schedule__campaign__brand__organization")
        .filter(pk=send_id).first()
    )
    if send is None:
        return DeliveryOutcome("gone")
    if send.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
        return DeliveryOutcome(send.status)
    # Whoever unsubscribed (or was removed) since the digest was claimed gets nothing.
    send.deliveries.filter(status__in=OPEN, recipient__isnull=True).delete()
    send.deliveries.filter(status__in=OPEN, recipient__unsubscribed_at__isnull=False).delete()
    deliveries = list(send.deliveries.filter(status__in=OPEN).order_by("pk"))
    if deliveries:
        # In the organisation's language (a client report speaks the agency's language).
        language = send.schedule.campaign.brand.organization.default_language
        with translation.override(language or settings.LANGUAGE_CODE):
            try:
                content = _content(send)
            except Exception as exc:
                # Recorded where the page shows it, then raised for the logs: never silent.
                _close_all(deliveries, f"The digest could not be built ({type(exc).__name__}).")
                _finish(send)
                raise
            _send_all(content, deliveries, final=final)
    return _finish(send)


# --- Building ---------------------------------------------------------------------------------
def _content(send: DigestSend) -> DigestContent:
    schedule = send.schedule
    campaign = schedule.campaign
    organization = campaign.brand.organization
    local_day = timezone.localtime(send.slot, organization.tzinfo).date()
    token = _stored_token(send)
    if not send.figures or not token:
        report = client_report(campaign, show_costs=False)
        if not send.figures:
            context = report_context(report, show_costs=False, link_creators=False)
            send.figures = figures_from(
                context, narrative=narrative.what_changed(report, today=local_day),
                as_of=report.computed_at.isoformat() if report.computed_at else None,
            )
        if not token:
            link, token = share_link_issue(
                campaign=campaign, label=f"Digest {local_day.isoformat()}",
                expires_at=timezone.now() + timedelta(days=SHARE_LINK_DAYS), show_costs=False,
            )
            send.share_link = link
            send.share_token_cipher = token_encrypt(token)
        send.save(update_fields=["figures", "share_link", "share_token_cipher"])
    from reports.pdf import campaign_pdf_for_client  # WeasyPrint: loaded only to render

    return DigestContent(
        subject=subject_for(campaign.name, schedule.get_frequency_display(), local_day),
        campaign_name=campaign.name,
        frequency=schedule.get_frequency_display(),
        local_date=local_day,
        kpis=with_changes(send.figures, _previous_figures(send)),
        narrative=list(send.figures.get("narrative", [])),
        top=list(send.figures.get("top", [])),
        share_url=share_url(token),
        branding=organization_branding(organization),
        pdf=campaign_pdf_for_client(campaign, show_costs=False),
        pdf_filename=f"{slugify(campaign.name) or 'campaign'}-{local_day.isoformat()}.pdf",
    )


def _stored_token(send: DigestSend) -> str:
    """The share link's token of an earlier attempt; "" when there is none or the encryption
    key has been rotated away (a new link is then issued)."""
    if send.share_link_id is None or not send.share_token_cipher:
        return ""
    try:
        return token_decrypt(send.share_token_cipher)
    except TokenDecryptError:
        return ""


def _previous_figures(send: DigestSend) -> dict[str, Any] | None:
    """The figures of the schedule's last digest before this one that reached anybody."""
    figures: dict[str, Any] | None = (
        DigestSend.objects.filter(
            schedule_id=send.schedule_id, pk__lt=send.pk,
            deliveries__status=DeliveryStatus.SENT,
        )
        .order_by("-pk").values_list("figures", flat=True).first()
    )
    return figures


# --- Sending ----------------------------------------------------------------------------------
def _send_all(content: DigestContent, deliveries: list[DigestDelivery], *, final: bool) -> None:
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as exc:  # smtplib.SMTPException is an OSError too
        for delivery in deliveries:
            if _claim(delivery):
                _transient(delivery, exc, final=final)
        return
    try:
        _send_each(connection, content, deliveries, final=final)
    finally:
        try:
            connection.close()
        except OSError:
            # Every message's outcome is recorded already; a failed QUIT changes none.
            logger.warning("digest: closing the SMTP connection failed", exc_info=True)


def _send_each(
    connection: BaseEmailBackend, content: DigestContent, deliveries: list[DigestDelivery],
    *, final: bool,
) -> None:
    for index, delivery in enumerate(deliveries):
        if delivery.recipient_id is None or not _claim(delivery):
            continue  # removed meanwhile, or another worker has it
        message = digest_message(
            content, to=delivery.email, recipient_id=delivery.recipient_id,
            connection=connection,
        )
        try:
            connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()), (0, b""))
            _answered(delivery, code, reason, final=final)
        except smtplib.SMTPResponseException as exc:
            _answered(delivery, exc.smtp_code, exc.smtp_error, final=final)
        except OSError as exc:
            # The connection is gone: the rest would fail the same way, so they wait too.
            for rest in [delivery, *deliveries[index + 1:]]:
                if rest is delivery or _claim(rest):
                    _transient(rest, exc, final=final)
            return
        except ValueError as exc:  # an address the backend cannot encode
            _record(delivery, DeliveryStatus.FAILED, f"Not sent: {exc}")
        else:
            _record(delivery, DeliveryStatus.SENT)


def _claim(delivery: DigestDelivery) -> bool:
    """Take the delivery for this attempt: only if nobody changed it since it was read."""
    claimed = DigestDelivery.objects.filter(
        pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1)
    return bool(claimed)


def _answered(delivery: DigestDelivery, code: int, reason: bytes | str, *, final: bool) -> None:
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    error = f"{code} {text}".strip()
    if code >= 500:
        _record(delivery, DeliveryStatus.FAILED, f"Refused by the mail server: {error}")
    else:
        _record(delivery, DeliveryStatus.FAILED if final else DeliveryStatus.RETRYING,
                f"Deferred by the mail server: {error}")


def _transient(delivery: DigestDelivery, exc: BaseException, *, final: bool) -> None:
    _record(delivery, DeliveryStatus.FAILED if final else DeliveryStatus.RETRYING,
            f"{type(exc).__name__}: {exc}")


def _record(delivery: DigestDelivery, status: str, error: str = "") -> None:
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        status=status, last_error=error[:MAX_ERROR],
        sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
    )


def _close_all(deliveries: list[DigestDelivery], error: str) -> None:
    DigestDelivery.objects.filter(
        pk__in=[d.pk for d in deliveries], status__in=OPEN
    ).update(status=DeliveryStatus.FAILED, last_error=error)


def _finish(send: DigestSend) -> DeliveryOutcome:
    counts = dict(
        send.deliveries.order_by().values_list("status").annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if any(counts.get(status) for status in OPEN):
        status = DeliveryStatus.RETRYING
    elif counts and set(counts) == {DeliveryStatus.SENT}:
        status = DeliveryStatus.SENT
    else:
        status = DeliveryStatus.FAILED  # a recipient failed, or nobody was left to send to
    done = status != DeliveryStatus.RETRYING
    DigestSend.objects.filter(pk=send.pk).update(
        status=status, finished_at=timezone.now() if done else None
    )
    error = (
        send.deliveries.filter(status=DeliveryStatus.RETRYING).exclude(last_error="")
        .values_list("last_error", flat=True).first() or ""
    )
    return DeliveryOutcome(status, error)
