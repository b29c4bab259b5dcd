"""The interactive API documentation at /api/docs/, served offline and under the strict CSP."""

from __future__ import annotations

from collections.abc import Iterable

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class FirstRendererNegotiation(BaseContentNegotiation):
    """The docs page is HTML (or its script) whatever the client's Accept header asks for."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class OfflineSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's files under /static/ (no CDN), its start-up script served
    separately (no inline script or style, so the strict CSP holds)."""

    content_negotiation_class = FirstRendererNegotiation
    template_name = "api/swagger_ui.html"
