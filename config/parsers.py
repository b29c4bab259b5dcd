"""JSON parsing that refuses text no database can store."""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

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


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing lone surrogates and NUL characters with a 400."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        raw = stream.read()
        if LONE_SURROGATE.search(raw):
            raise ParseError("JSON parse error - the body holds a lone surrogate, not text.")
        if NUL_ESCAPE.search(raw):
            raise ParseError("JSON parse error - the body holds a NUL character.")
        return super().parse(BytesIO(raw), media_type, parser_context)
