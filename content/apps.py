from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Briefs and content review"

    def ready(self) -> None:
        from content import receivers  # noqa: F401  (re-checks live captions after a recompute)
