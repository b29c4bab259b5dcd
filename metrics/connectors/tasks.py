"""Celery tasks that refresh connected accounts (see metrics/connectors)."""
