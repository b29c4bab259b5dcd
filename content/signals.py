"""What the workflow tells other apps: ``deliverable_status_changed`` (kwargs ``deliverable``,
``status``) on every status change, inside the change's transaction, so a payout line that
accrues at the deliverable's ``pay_on`` milestone is written with it or not at all."""

from django.dispatch import Signal

deliverable_status_changed = Signal()
