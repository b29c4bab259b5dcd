"""WSGI entry point.

``/r/<slug>`` — the click redirect, the one path that takes a creator's whole audience — is
handed to ``metrics.tracking.redirect.wsgi_redirect``, which answers an active link's GET/HEAD
without building a Django request (precomputed security headers, cached link, one Redis round
trip) and passes anything else to the security middleware and the view. Everything else is
plain Django.

Once everything is imported, ``gc.freeze()`` moves the objects of the loaded code (about
100,000: Django, DRF, the apps) out of the garbage collector's reach. A full collection in a
worker scanned them all, about 60 ms during which that worker's threads answered nobody — the
slowest of every thousand requests waited on it. Objects made while serving are collected as
before.
"""

import gc
import os
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from metrics.tracking.redirect import PREFIX, wsgi_redirect  # noqa: E402  (needs the apps loaded)

gc.freeze()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    if environ.get("PATH_INFO", "").startswith(PREFIX):
        return wsgi_redirect(environ, start_response)
    return django_application(environ, start_response)
