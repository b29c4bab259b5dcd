"""After a campaign's KPIs are recomputed (its posts' metrics have arrived), the captions of its
live posts are checked again and the deliverables they verify move on."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from content.services.post_checks import campaign_posts_recheck
from metrics.signals import kpis_recomputed


@receiver(kpis_recomputed, dispatch_uid="content.recheck_live_captions")
def recheck_live_captions(sender: Any, campaign_id: int, **kwargs: Any) -> None:
    campaign_posts_recheck(campaign_id=campaign_id)
