"""The rules a campaign record must meet before it is written, pure and cheap (no query), in the
shape of ``config.validation``: ``*_errors(item)`` returns ``{field: [message]}``, empty when
the item is valid; services raise with ``config.validation.check``."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from config.validation import NEGATIVE, Errors, Item


def cost_errors(item: Item) -> Errors:
    """A campaign cost: an amount ≥ 0 and, when it is a partnership's, a partnership of the
    same campaign. ``campaign`` and ``partnership`` are instances or ``None``."""
    errors: Errors = {}
    amount = item.get("amount")
    if isinstance(amount, Decimal | int) and amount < 0:
        errors["amount"] = [NEGATIVE]
    campaign, partnership = item.get("campaign"), item.get("partnership")
    if campaign is not None and partnership is not None:
        if partnership.campaign_id != campaign.pk:
            errors["partnership"] = [_("This partnership is in another campaign.")]
    return errors
