"""Ingestion and other writes of the metrics app, one module per kind of data."""
