"""Reads of metrics records, one module per job (import the module you need; nothing is
re-exported here):

- ``frame``: the time frame of a KPI recompute (T, local days, attribution windows).
- ``inputs``: what a recompute loads besides the sums: the campaign, rate card, partnerships,
  targets, costs, overlapping campaigns, comments to label, the brand's follower series.
- ``post_aggregates``: SQL sums of post counters, post counts and comment sentiment per day.
- ``funnel_aggregates``: SQL counts of clicks, conversions (net of refunds), leads, visits.
- ``snapshots``: the one reader of stored KPI documents (``KpiSnapshot``).
- ``reports``: the campaign report page's read (KPI documents and comment samples).
- ``creators``: the creator directory's engagement rates and the creator profile.
"""
