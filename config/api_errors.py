"""The API's one error shape: ``{"detail": "message"}`` or ``{"field": ["message", …]}``."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a bare list of messages (raised by some library code, such as the
    search filter refusing a NUL) folded into ``detail`` so every error is an object."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response
