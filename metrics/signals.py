"""What the KPI engine tells other apps: ``kpis_recomputed`` after a campaign's documents are
stored (sender: the engine function; ``campaign_id``). Receivers run in the recompute's own
process, after its transaction committed: the workflow re-checks live captions and moves the
payouts ledger's commission with it."""

from django.dispatch import Signal

kpis_recomputed = Signal()
