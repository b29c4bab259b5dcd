"""The interactive API documentation at /api/docs/, served offline and under the strict CSP."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request


class FirstRendererNegotiation(BaseContentNegotiation):
    """The docs page is HTML (or its script) whatever the client's Accept header asks for."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


class OfflineSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's files under /static/ (no CDN), its start-up script served
    separately (no inline script or style, so the strict CSP holds)."""

    content_negotiation_class = FirstRendererNegotiation
    template_name = "api/swagger_ui.html"
