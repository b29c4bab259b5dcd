"""drf-spectacular glue: the API-key security scheme, and the error answers every operation
can give, so the document (and the fuzzer that checks answers against it) knows them."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "additionalProperties": True,
    "description": 'Either {"detail": "message"} or {"field": ["message", ...]}.',
}
ERRORS = {
    "400": "Invalid input; the body names each offending field.",
    "401": "No credentials, or an invalid, expired or revoked API key.",
    "403": "The role is not allowed to do this.",
    "404": "No such record in this organization.",
    "415": "The body is not in a supported media type (JSON; forms where noted).",
    "429": "Too many requests; retry after the Retry-After header's seconds.",
}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organization's API key: `Authorization: Bearer fb_…` "
            "(created by owners, or with `manage.py createapikey`).",
        }


class FunnelboardAutoSchema(AutoSchema):
    def _map_basic_serializer(
        self, serializer: serializers.Serializer, direction: str
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        # An optional URL or e-mail is stored as "" when not given, which no format admits.
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            prop = properties.get(field.field_name or name)
            if getattr(field, "allow_blank", False) and isinstance(prop, dict):
                if prop.get("format") in ("uri", "email"):
                    prop.pop("format")
        return schema

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERRORS.items():
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}},
            )
        return responses

