"""The floor of `bench.redirect`: a bare Django view answering 302 — no middleware, no
database, no apps — served by gunicorn with the same settings as the app (``bench._floor:app``).
"""

from __future__ import annotations

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings)
from django.http import HttpRequest, HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402


def floor_redirect(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"https://b.example/shop?color=red&s={slug}")


urlpatterns = [path("r/<slug:slug>", floor_redirect)]
app = get_wsgi_application()
