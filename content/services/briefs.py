"""A campaign's brief: each edit is a new numbered version, sent to partnerships by version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access
from accounts.writes import create_instance, ensure_in_organization, require_write
from campaigns.models import Campaign, FunnelStage, Partnership
from content.models import Brief, BriefAttachment, BriefSend, BriefVersion
from content.uploads import DOCX, IMAGE_TYPES, read_upload

LIST_FIELDS = ("disclosure_tags", "required_hashtags", "required_mentions", "forbidden_words")
# What a hashtag and a mention start with: added where the writer left it out.
TERM_PREFIXES = {"required_hashtags": "#", "required_mentions": "@"}
TEXT_FIELDS = ("goal", "key_messages", "dos", "donts", "links_and_codes")
ATTACHMENT_LIMIT_MB = 10
ATTACHMENT_TYPES = ("application/pdf", *IMAGE_TYPES, "video/mp4", DOCX)


def stage_goal(stage: str) -> str:
    """The goal a brief starts from, by the campaign's funnel stage."""
    if stage == FunnelStage.TOFU:
        return _("Awareness: put the brand in front of new people — reach and impressions.")
    if stage == FunnelStage.MOFU:
        return _("Leads: get interested people to the brand's site — clicks, visits and "
                 "sign-ups.")
    return _("Sales: drive orders through the creator's code and links.")


def _terms(field: str, value: Any) -> list[str]:
    """A list field's entries, trimmed, without empties or repeats (any case)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", "\n").splitlines()
    if not isinstance(value, list | tuple):
        raise ValidationError({field: _("Give a list of words or tags.")})
    terms: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError({field: _("Give a list of words or tags.")})
        term = " ".join(item.split())
        prefix = TERM_PREFIXES.get(field, "")
        if term and prefix and not term.startswith(prefix):
            term = prefix + term  # "glowup" → "#glowup", as the page's form writes it
        if len(term) > 100:
            raise ValidationError({field: _("Each entry is at most 100 characters.")})
        if term and term.lower() not in {t.lower() for t in terms}:
            terms.append(term)
    return terms


@transaction.atomic
def brief_version_create(*, access: Access, campaign: Campaign, **fields: Any) -> BriefVersion:
    """A new version of the campaign's brief (the first one makes the brief). Without a goal,
    the campaign's stage gives one."""
    require_write(access, BriefVersion)
    ensure_in_organization(access, campaign)
    unknown = set(fields) - set(LIST_FIELDS) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a field of a brief.") for name in sorted(unknown)})
    brief, _created = Brief.objects.get_or_create(campaign=campaign)
    brief = Brief.objects.select_for_update().get(pk=brief.pk)  # numbers without a race
    values: dict[str, Any] = {name: str(fields.get(name) or "").strip() for name in TEXT_FIELDS}
    values["goal"] = values["goal"] or stage_goal(campaign.stage)
    for name in LIST_FIELDS:
        values[name] = _terms(name, fields.get(name))
    number = (brief.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = create_instance(
        BriefVersion, {**values, "brief": brief, "number": number, "created_by": access.user}
    )
    audit_record(
        access=access, organization=access.organization, action="brief.version_created",
        obj=version, changes={"campaign": campaign.pk, "number": number},
    )
    return version


@transaction.atomic
def brief_attachment_add(*, access: Access, version: BriefVersion, upload: Any) -> BriefAttachment:
    """Attach a file (≤ 10 MB; PDF, image, MP4 or Word document by its content)."""
    require_write(access, BriefAttachment)
    ensure_in_organization(access, version)
    data, content_type, name = read_upload(
        upload, field="upload", limit_mb=ATTACHMENT_LIMIT_MB, allowed=ATTACHMENT_TYPES
    )
    attachment = BriefAttachment(
        version=version, name=name, content_type=content_type, size=len(data), data=data
    )
    attachment.full_clean()
    attachment.save()
    audit_record(
        access=access, organization=access.organization, action="brief.attachment_added",
        obj=attachment, changes={"version": version.pk, "size": len(data)},
    )
    return attachment


@transaction.atomic
def brief_attachment_delete(*, access: Access, attachment: BriefAttachment) -> None:
    require_write(access, BriefAttachment, "delete")
    ensure_in_organization(access, attachment)
    audit_record(
        access=access, organization=access.organization, action="brief.attachment_deleted",
        obj=attachment, changes={"version": attachment.version_id},
    )
    attachment.delete()


@transaction.atomic
def brief_send(
    *, access: Access, version: BriefVersion, partnerships: Iterable[Partnership]
) -> list[BriefSend]:
    """Send the version to partnerships of its campaign; sending one again refreshes the date.
    From then on their creators see this version and their captions are checked against it."""
    require_write(access, BriefSend)
    ensure_in_organization(access, version)
    chosen = list(dict.fromkeys(partnerships))
    if not chosen:
        raise ValidationError({"partnerships": _("Choose at least one partnership.")})
    campaign_id = version.brief.campaign_id
    for partnership in chosen:
        ensure_in_organization(access, partnership)
        if partnership.campaign_id != campaign_id:
            raise ValidationError(
                {"partnerships": _("%(partnership)s is not in this brief's campaign.")
                 % {"partnership": partnership}}
            )
    sends = []
    for partnership in chosen:
        send, created = BriefSend.objects.get_or_create(
            partnership=partnership, version=version, defaults={"sent_by": access.user}
        )
        if not created:
            send.sent_by = access.user
            send.sent_at = send._meta.get_field("sent_at").get_default()
            send.save(update_fields=["sent_by", "sent_at"])
        audit_record(
            access=access, organization=access.organization, action="brief.sent", obj=send,
            changes={"version": version.pk, "number": version.number,
                     "partnership": partnership.pk},
        )
        sends.append(send)
    return sends
