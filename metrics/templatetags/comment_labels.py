"""``{% comment_label_counts campaign as counts %}``: the machine-made vs corrected label
counts for the report's sentiment samples (``templates/metrics/_comment_label.html``)."""

from __future__ import annotations

from django import template

from campaigns.models import Campaign
from metrics.selectors.comment_labels import LabelCounts, label_counts

register = template.Library()


@register.simple_tag
def comment_label_counts(campaign: Campaign) -> LabelCounts:
    # One aggregate query; the partial is included once per report page.
    return label_counts(campaign)
