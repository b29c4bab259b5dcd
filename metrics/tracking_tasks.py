"""Celery tasks of the tracking side: the click-buffer drain and Shopify delivery processing."""
