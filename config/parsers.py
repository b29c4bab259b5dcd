"""JSON parsing that refuses text no database can store, and nesting no request needs.

``json_loads`` is the one depth-limited reader: the API parser below and the public pixel
both parse through it, so a hostile body is a 400 everywhere instead of a RecursionError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No ingestion body is nested more than a few levels; 64 leaves room for any honest client and
# keeps every later walk over the data (serializers, JSONField) far from the recursion limit.
MAX_JSON_DEPTH = 64

# A \uD800–\uDBFF escape not followed by a \uDC00–\uDFFF one, or a \uDC00–\uDFFF escape not
# preceded by a high one: a lone surrogate, which is not Unicode text and which PostgreSQL
# (and UTF-8 output) refuses. NUL characters are refused for the same reason.
_HIGH = rb"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_UNESCAPED = rb"(?<!\\)(?:\\\\)*"  # an even run of backslashes: the escape is real
LONE_SURROGATE = re.compile(
    _UNESCAPED + rb"(?:" + _HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW + rb")"
)
NUL_ESCAPE = re.compile(_UNESCAPED + rb"\\u0000")


class JSONTooDeep(ValueError):
    """The document is nested deeper than allowed."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")


def _deeper_than(data: Any, limit: int) -> bool:
    # Iterative on purpose: the point is to never recurse over attacker-shaped data.
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def json_loads(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH, strict: bool = True) -> Any:
    """``json.loads`` that raises ``ValueError`` (``JSONTooDeep`` for nesting) instead of
    ``RecursionError``, and refuses NaN/Infinity unless ``strict`` is False."""
    too_deep = JSONTooDeep(f"the body is nested deeper than {max_depth} levels.")
    try:
        data = json.loads(raw, parse_constant=_refuse_constant if strict else None)
    except RecursionError:
        raise too_deep from None
    if isinstance(data, (dict, list)) and _deeper_than(data, max_depth):
        raise too_deep
    return data


def unstorable_text(raw: bytes) -> str:
    """Why a JSON body holds text no database stores (a lone surrogate or a NUL escape), or
    ''."""
    if LONE_SURROGATE.search(raw):
        return "the body holds a lone surrogate, not text."
    if NUL_ESCAPE.search(raw):
        return "the body holds a NUL character."
    return ""


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing lone surrogates, NUL characters and nesting deeper than
    ``MAX_JSON_DEPTH`` with a 400."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        problem = unstorable_text(raw)
        if problem:
            raise ParseError(f"JSON parse error - {problem}")
        try:
            return json_loads(raw.decode(encoding), strict=self.strict)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            raise ParseError(f"JSON parse error - {exc}") from None
