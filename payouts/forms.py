"""The ledger page's filters and its mark-paid form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.selectors import Access, visible
from accounts.widgets import LocalDateInput
from campaigns.models import Campaign
from influencers.models import Influencer
from payouts.models import PaymentMethod, PayoutStatus
from payouts.selectors import parse_month


class LedgerFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}),
    )
    influencer = forms.ModelChoiceField(
        label=_("Creator"), queryset=Influencer.objects.none(), required=False,
        empty_label=_("All creators"),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
        empty_label=_("All campaigns"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All statuses")), *PayoutStatus.choices],
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["influencer"].queryset = visible(  # type: ignore[attr-defined]
            access, Influencer
        ).order_by("name")
        self.fields["campaign"].queryset = visible(  # type: ignore[attr-defined]
            access, Campaign
        ).order_by("name")

    def clean_month(self) -> dt.date | None:
        try:
            return parse_month(self.cleaned_data.get("month"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["month"]) from None


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=LocalDateInput())
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)
