from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Client reports"

    def ready(self) -> None:
        from reports import receivers  # noqa: F401  (lays PDFs out after each recompute)
