"""Signals campaigns sends for the apps that keep data derived from its records."""

from django.dispatch import Signal

# Sent by ``post_delete`` (the service) before a post is deleted, with ``post``: the KPI
# rollups take its contributions out. A campaign's or partnership's deletion sends none — its
# rollups go with it.
post_removing = Signal()
