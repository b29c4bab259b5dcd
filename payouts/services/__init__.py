"""Writes of the payouts ledger: ``accrual`` (lines from the workflow and the KPI engine) and
``approvals`` (a member approves a line, then marks it paid)."""
