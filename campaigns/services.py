"""Writes of brands, campaigns and what a campaign hands out.

Each service checks the role (the checkpoint's rules), refuses related records of another
organization, validates with ``full_clean`` and schedules a KPI recompute when the change
moves a campaign's numbers. Compensation and costs are audited. A campaign's KPI targets are
written by ``campaigns.targets``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.audit_writes import audit_record
from accounts.selectors import Access
from accounts.writes import (
    apply_changes,
    create_instance,
    ensure_in_organization,
    require_role_for_fields,
    require_write,
)
from campaigns.link_cache import forget_link
from campaigns.links import destination_error
from campaigns.models import (
    Brand,
    BrandAccount,
    Campaign,
    Cost,
    Partnership,
    Post,
    PromoCode,
    TrackingLink,
)
from campaigns.selectors import COMPENSATION_FIELDS, compensation_role
from campaigns.signals import post_removing
from campaigns.validation import cost_errors
from config.validation import BulkItemError, check
from influencers.models import SocialAccount
from metrics.scheduling import schedule_kpi_recompute

# Changing these moves no KPI of the campaign; everything else on a campaign does.
CAMPAIGN_COSMETIC_FIELDS = {"name", "slug", "objective"}


# --- Brands ---------------------------------------------------------------------------------
@transaction.atomic
def brand_create(*, access: Access, **fields: Any) -> Brand:
    require_write(access, Brand)
    return create_instance(Brand, {**fields, "organization": access.organization})


@transaction.atomic
def brand_update(*, access: Access, brand: Brand, **changes: Any) -> Brand:
    require_write(access, Brand)
    changes.pop("organization", None)
    apply_changes(brand, changes)
    return brand


@transaction.atomic
def brand_delete(*, access: Access, brand: Brand) -> None:
    """Deleting a brand deletes its campaigns, which only an owner may do one by one."""
    require_write(access, Brand, "delete")
    if brand.campaigns.exists():
        require_write(access, Campaign, "delete")
    audit_record(
        access=access, organization=access.organization, action="brand.deleted", obj=brand,
        changes={"name": brand.name},
    )
    brand.delete()


@transaction.atomic
def brand_account_create(*, access: Access, brand: Brand, **fields: Any) -> BrandAccount:
    require_write(access, BrandAccount)
    ensure_in_organization(access, brand)
    account = create_instance(BrandAccount, {**fields, "brand": brand})
    schedule_kpi_recompute(brand.campaigns.values_list("pk", flat=True))
    return account


@transaction.atomic
def brand_account_update(*, access: Access, account: BrandAccount, **changes: Any) -> BrandAccount:
    require_write(access, BrandAccount)
    ensure_in_organization(access, changes.get("brand"))
    apply_changes(account, changes)
    schedule_kpi_recompute(account.brand.campaigns.values_list("pk", flat=True))
    return account


@transaction.atomic
def brand_account_delete(*, access: Access, account: BrandAccount) -> None:
    require_write(access, BrandAccount, "delete")
    campaign_ids = list(account.brand.campaigns.values_list("pk", flat=True))
    account.delete()
    schedule_kpi_recompute(campaign_ids)


# --- Campaigns ------------------------------------------------------------------------------
def unique_campaign_slug(brand: Brand, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "campaign"
    rivals = Campaign.objects.filter(brand=brand, slug__startswith=base)
    if exclude_pk is not None:
        rivals = rivals.exclude(pk=exclude_pk)
    taken = set(rivals.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def campaign_create(*, access: Access, brand: Brand, name: str, **fields: Any) -> Campaign:
    require_write(access, Campaign)
    ensure_in_organization(access, brand)
    if not fields.get("slug"):
        fields["slug"] = unique_campaign_slug(brand, name)
    fields.setdefault("currency", brand.currency)
    campaign = create_instance(Campaign, {**fields, "brand": brand, "name": name})
    schedule_kpi_recompute([campaign.pk])
    return campaign


@transaction.atomic
def campaign_update(*, access: Access, campaign: Campaign, **changes: Any) -> Campaign:
    require_write(access, Campaign)
    ensure_in_organization(access, changes.get("brand"))
    diff = apply_changes(campaign, changes)
    if set(diff) - CAMPAIGN_COSMETIC_FIELDS:
        schedule_kpi_recompute([campaign.pk])
    return campaign


@transaction.atomic
def campaign_delete(*, access: Access, campaign: Campaign) -> None:
    require_write(access, Campaign, "delete")
    audit_record(
        access=access, organization=access.organization, action="campaign.deleted",
        obj=campaign, changes={"name": campaign.name},
    )
    campaign.delete()


# --- Partnerships ---------------------------------------------------------------------------
@transaction.atomic
def partnership_create(*, access: Access, campaign: Campaign, influencer: Any, **fields: Any) -> Partnership:
    require_write(access, Partnership)
    ensure_in_organization(access, campaign, influencer)
    given = [f for f in COMPENSATION_FIELDS if f in fields and fields[f] not in (None, 0)]
    require_role_for_fields(access, given, COMPENSATION_FIELDS, compensation_role())
    partnership = create_instance(
        Partnership, {**fields, "campaign": campaign, "influencer": influencer}
    )
    if given:
        audit_record(
            access=access, organization=access.organization, action="compensation.set",
            obj=partnership, changes={f: [None, str(fields[f])] for f in given},
        )
    schedule_kpi_recompute([campaign.pk])
    return partnership


@transaction.atomic
def partnership_update(*, access: Access, partnership: Partnership, **changes: Any) -> Partnership:
    require_write(access, Partnership)
    ensure_in_organization(access, changes.get("campaign"), changes.get("influencer"))
    compensation = {f for f in COMPENSATION_FIELDS if f in changes}
    changed_money = {f for f in compensation if getattr(partnership, f) != changes[f]}
    require_role_for_fields(access, changed_money, COMPENSATION_FIELDS, compensation_role())
    old_campaign_id = partnership.campaign_id
    diff = apply_changes(partnership, changes)
    money_diff = {f: v for f, v in diff.items() if f in COMPENSATION_FIELDS}
    if money_diff:
        audit_record(
            access=access, organization=access.organization, action="compensation.changed",
            obj=partnership, changes=money_diff,
        )
    schedule_kpi_recompute([old_campaign_id, partnership.campaign_id])
    return partnership


@transaction.atomic
def partnership_set_status(*, access: Access, partnership: Partnership, status: str) -> Partnership:
    return partnership_update(access=access, partnership=partnership, status=status)


@transaction.atomic
def partnership_delete(*, access: Access, partnership: Partnership) -> None:
    require_write(access, Partnership, "delete")
    campaign_id = partnership.campaign_id
    partnership.delete()
    schedule_kpi_recompute([campaign_id])


# --- Posts ----------------------------------------------------------------------------------
def _check_post_account(post_fields: dict[str, Any], partnership: Partnership) -> None:
    account = post_fields.get("social_account")
    if account is not None and account.influencer_id != partnership.influencer_id:
        raise ValidationError({"social_account": _("This account belongs to another creator.")})


@transaction.atomic
def post_create(*, access: Access, partnership: Partnership, **fields: Any) -> Post:
    require_write(access, Post)
    ensure_in_organization(access, partnership, fields.get("social_account"))
    _check_post_account(fields, partnership)
    if fields.get("social_account") is not None and not fields.get("platform"):
        fields["platform"] = fields["social_account"].platform
    post = create_instance(Post, {**fields, "partnership": partnership})
    schedule_kpi_recompute([partnership.campaign_id])
    return post


@transaction.atomic
def post_update(*, access: Access, post: Post, **changes: Any) -> Post:
    require_write(access, Post)
    ensure_in_organization(access, changes.get("partnership"), changes.get("social_account"))
    old_campaign_id = post.partnership.campaign_id
    partnership = changes.get("partnership") or post.partnership
    _check_post_account({"social_account": changes.get("social_account", post.social_account)}, partnership)
    apply_changes(post, changes)
    schedule_kpi_recompute([old_campaign_id, post.partnership.campaign_id])
    return post


def _account_on(partnership: Partnership, platform: str) -> SocialAccount | None:
    """The creator's account on ``platform`` when she has exactly one there."""
    accounts = SocialAccount.objects.filter(influencer_id=partnership.influencer_id, platform=platform)
    return accounts.first() if accounts[:2].count() == 1 else None


@transaction.atomic
def post_add(*, access: Access, partnership: Partnership, **fields: Any) -> Post:
    """A post entered by hand (usually from its URL): ``post_create``, linked to the creator's
    account on that platform when she has exactly one, so her followers weigh its engagement."""
    if fields.get("social_account") is None and fields.get("platform"):
        fields["social_account"] = _account_on(partnership, fields["platform"])
    return post_create(access=access, partnership=partnership, **fields)


@transaction.atomic
def posts_bulk_add(
    *, access: Access, partnership: Partnership, items: Sequence[Mapping[str, Any]]
) -> list[Post]:
    """Add every post of ``items`` or none: the first refused one raises ``BulkItemError``
    carrying its index, and the transaction rolls the others back."""
    posts = []
    for index, item in enumerate(items):
        try:
            posts.append(post_add(access=access, partnership=partnership, **item))
        except ValidationError as error:
            messages = getattr(error, "message_dict", None) or {NON_FIELD_ERRORS: error.messages}
            raise BulkItemError(index, messages) from error
    return posts


@transaction.atomic
def post_delete(*, access: Access, post: Post) -> None:
    require_write(access, Post, "delete")
    campaign_id = post.partnership.campaign_id
    post_removing.send(sender=Post, post=post)
    post.delete()
    schedule_kpi_recompute([campaign_id])


# --- Promo codes ----------------------------------------------------------------------------
def _periods_overlap(
    a_from: datetime | None, a_until: datetime | None, b_from: datetime | None, b_until: datetime | None
) -> bool:
    starts_before_b_ends = b_until is None or a_from is None or a_from < b_until
    ends_after_b_starts = a_until is None or b_from is None or a_until > b_from
    return starts_before_b_ends and ends_after_b_starts


def _ensure_code_free(code: PromoCode) -> None:
    """A code is unique per brand, in any case, among codes whose active periods overlap."""
    brand_id = code.partnership.campaign.brand_id
    # Serialise writers of one brand's codes so two requests cannot both pass the check.
    Brand.objects.select_for_update().filter(pk=brand_id).first()
    rivals = PromoCode.objects.filter(
        partnership__campaign__brand_id=brand_id, code__iexact=code.code
    ).exclude(pk=code.pk)
    for rival in rivals:
        if _periods_overlap(code.active_from, code.active_until, rival.active_from, rival.active_until):
            taken = _("%(code)s is already used by this brand in an overlapping period.")
            raise ValidationError({"code": taken % {"code": rival.code}})


@transaction.atomic
def promo_code_create(*, access: Access, partnership: Partnership, **fields: Any) -> PromoCode:
    require_write(access, PromoCode)
    ensure_in_organization(access, partnership)
    code = PromoCode(**fields, partnership=partnership)
    code.code = code.code.strip()
    code.full_clean()
    _ensure_code_free(code)
    code.save()
    return code


@transaction.atomic
def promo_code_update(*, access: Access, promo_code: PromoCode, **changes: Any) -> PromoCode:
    # The record is ``promo_code=``: ``code`` is one of the fields a caller may change.
    code = promo_code
    require_write(access, PromoCode)
    ensure_in_organization(access, changes.get("partnership"))
    for field, value in changes.items():
        setattr(code, field, value)
    code.code = code.code.strip()
    code.full_clean()
    _ensure_code_free(code)
    code.save()
    return code


@transaction.atomic
def promo_code_delete(*, access: Access, code: PromoCode) -> None:
    require_write(access, PromoCode, "delete")
    code.delete()


# --- Tracking links -------------------------------------------------------------------------
def _ensure_web_destination(url: str) -> None:
    problem = destination_error(url)
    if problem:
        raise ValidationError({"destination_url": problem})


def _forget_on_commit(link: TrackingLink) -> None:
    """The redirect caches links; an edited or disabled one must stop being served at once."""
    slug = link.slug
    transaction.on_commit(lambda: forget_link(slug))


@transaction.atomic
def link_create(*, access: Access, partnership: Partnership, **fields: Any) -> TrackingLink:
    require_write(access, TrackingLink)
    ensure_in_organization(access, partnership)
    _ensure_web_destination(fields.get("destination_url", ""))
    fields.pop("slug", None)
    return create_instance(TrackingLink, {**fields, "partnership": partnership})


@transaction.atomic
def link_update(*, access: Access, link: TrackingLink, **changes: Any) -> TrackingLink:
    require_write(access, TrackingLink)
    ensure_in_organization(access, changes.get("partnership"))
    changes.pop("slug", None)
    if "destination_url" in changes:
        _ensure_web_destination(changes["destination_url"])
    apply_changes(link, changes)
    _forget_on_commit(link)
    return link


@transaction.atomic
def link_delete(*, access: Access, link: TrackingLink) -> None:
    """Disable rather than delete a link that has clicks, so their history stays countable."""
    require_write(access, TrackingLink, "delete")
    _forget_on_commit(link)
    if link.clicks.exists():
        link.is_active = False
        link.save(update_fields=["is_active"])
    else:
        link.delete()


# --- Costs ----------------------------------------------------------------------------------
@transaction.atomic
def cost_create(*, access: Access, campaign: Campaign, **fields: Any) -> Cost:
    require_write(access, Cost)
    partnership = fields.get("partnership")
    ensure_in_organization(access, campaign, partnership)
    check(cost_errors, {**fields, "campaign": campaign})
    cost = create_instance(Cost, {**fields, "campaign": campaign})
    audit_record(
        access=access, organization=access.organization, action="cost.created", obj=cost,
        changes={"amount": [None, str(cost.amount)], "category": [None, cost.category]},
    )
    schedule_kpi_recompute([campaign.pk])
    return cost


@transaction.atomic
def cost_update(*, access: Access, cost: Cost, **changes: Any) -> Cost:
    require_write(access, Cost)
    ensure_in_organization(access, changes.get("campaign"), changes.get("partnership"))
    old_campaign_id = cost.campaign_id
    diff = apply_changes(cost, changes)
    check(cost_errors, {"campaign": cost.campaign, "partnership": cost.partnership,
                        "amount": cost.amount})
    if diff:
        audit_record(
            access=access, organization=access.organization, action="cost.changed", obj=cost,
            changes=diff,
        )
    schedule_kpi_recompute([old_campaign_id, cost.campaign_id])
    return cost


@transaction.atomic
def cost_delete(*, access: Access, cost: Cost) -> None:
    require_write(access, Cost, "delete")
    audit_record(
        access=access, organization=access.organization, action="cost.deleted", obj=cost,
        changes={"amount": [str(cost.amount), None], "category": [cost.category, None]},
    )
    campaign_id = cost.campaign_id
    cost.delete()
    schedule_kpi_recompute([campaign_id])

