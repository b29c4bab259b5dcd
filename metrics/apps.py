from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"

    def ready(self) -> None:
        from metrics import rollup_signals  # noqa: F401 — connects the rollup upkeep
