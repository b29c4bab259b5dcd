"""Writes of the creator directory."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.selectors import Access
from accounts.writes import apply_changes, create_instance, ensure_in_organization, require_write
from campaigns.models import Partnership
from influencers.models import Influencer, SocialAccount
from metrics.scheduling import schedule_kpi_recompute


def _clean_tags(tags: Any) -> list[str]:
    if not tags:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    return sorted({str(tag).strip().lower() for tag in tags if str(tag).strip()})


@transaction.atomic
def influencer_create(*, access: Access, **fields: Any) -> Influencer:
    require_write(access, Influencer)
    fields["tags"] = _clean_tags(fields.get("tags"))
    fields["country"] = (fields.get("country") or "").upper()
    return create_instance(Influencer, {**fields, "organization": access.organization})


@transaction.atomic
def influencer_update(*, access: Access, influencer: Influencer, **changes: Any) -> Influencer:
    require_write(access, Influencer)
    changes.pop("organization", None)
    if "tags" in changes:
        changes["tags"] = _clean_tags(changes["tags"])
    if "country" in changes:
        changes["country"] = (changes["country"] or "").upper()
    apply_changes(influencer, changes)
    return influencer


@transaction.atomic
def influencer_delete(*, access: Access, influencer: Influencer) -> None:
    from django.core.exceptions import ValidationError

    require_write(access, Influencer, "delete")
    if influencer.partnerships.exists():
        raise ValidationError(_("This creator has partnerships; remove those first."))
    influencer.delete()


def _campaigns_of(influencer_id: int) -> list[int]:
    return list(
        Partnership.objects.filter(influencer_id=influencer_id).values_list("campaign_id", flat=True)
    )


@transaction.atomic
def social_account_create(*, access: Access, influencer: Influencer, **fields: Any) -> SocialAccount:
    require_write(access, SocialAccount)
    ensure_in_organization(access, influencer)
    fields["handle"] = (fields.get("handle") or "").strip().lstrip("@")
    account = create_instance(SocialAccount, {**fields, "influencer": influencer})
    schedule_kpi_recompute(_campaigns_of(influencer.pk))
    return account


@transaction.atomic
def social_account_update(
    *, access: Access, account: SocialAccount, **changes: Any
) -> SocialAccount:
    require_write(access, SocialAccount)
    ensure_in_organization(access, changes.get("influencer"))
    if "handle" in changes:
        changes["handle"] = (changes["handle"] or "").strip().lstrip("@")
    old_influencer_id = account.influencer_id
    apply_changes(account, changes)
    schedule_kpi_recompute(_campaigns_of(old_influencer_id) + _campaigns_of(account.influencer_id))
    return account


@transaction.atomic
def social_account_delete(*, access: Access, account: SocialAccount) -> None:
    require_write(access, SocialAccount, "delete")
    campaigns = _campaigns_of(account.influencer_id)
    account.delete()
    schedule_kpi_recompute(campaigns)
