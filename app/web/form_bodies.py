"""Form-encoded and multipart bodies, as the original API (Django REST framework) took them on
every write, turned into the JSON body the route expects.

A form carries only strings; each value is converted by the type the operation's JSON schema
gives its field (`score=4` becomes `4`, a repeated `movie_ids` a list), so the route validates
one body, the same way, whatever the client sent. Unknown fields are passed on as they are and
refused by the route, by name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import validation_error_response

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
FORM_TYPES = (FORM, MULTIPART)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_FORM_FIELDS = 20_000
_INTEGER = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = {"true", "1", "on", "yes"}, {"false", "0", "off", "no"}


def _content_type(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return bytes(value).decode("latin-1").partition(";")[0].strip().lower()
    return ""


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _alternatives(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, components)
    if "anyOf" in schema or "oneOf" in schema:
        return [
            _resolve(option, components) for option in schema.get("anyOf", schema.get("oneOf", []))
        ]
    return [schema]


def _scalar(value: str, schema: dict[str, Any], components: dict[str, Any]) -> Any:
    options = _alternatives(schema, components)
    kinds = [option.get("type") for option in options]
    # A form cannot send null: "" (or JSON's `null`) stands for it where no text is accepted
    # (a free string takes them as they are; an enum only its own values).
    takes_text = any(
        option.get("type") == "string" and value in option.get("enum", [value])
        for option in options
    )
    if value.strip() in ("", "null") and "null" in kinds and not takes_text:
        return None
    for option in options:
        kind = option.get("type")
        if kind == "integer" and _INTEGER.match(value.strip()):
            return int(value)
        if kind == "number":
            try:
                return float(value)
            except ValueError:
                continue
        if kind == "boolean" and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        if kind in ("array", "object") and value.strip()[:1] in ("[", "{"):
            try:
                return json.loads(value)
            except ValueError:
                continue
    return value


def _array_items(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any] | None:
    for option in _alternatives(schema, components):
        if option.get("type") == "array":
            items: dict[str, Any] = option.get("items", {})
            return items
    return None


def form_to_json(form: FormData, schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The form as the JSON object `schema` describes; raises ValueError naming a file field."""
    properties: dict[str, Any] = _resolve(schema, components).get("properties", {})
    body: dict[str, Any] = {}
    for name in dict.fromkeys(form.keys()):
        values = form.getlist(name)
        if any(isinstance(value, UploadFile) for value in values):
            raise ValueError(name)
        texts = [str(value) for value in values]
        field_schema = properties.get(name, {})
        items = _array_items(field_schema, components)
        if items is not None:
            nullable = "null" in [o.get("type") for o in _alternatives(field_schema, components)]
            if len(texts) == 1 and texts[0].strip() in ("", "null") and nullable:
                body[name] = None
            elif len(texts) == 1 and texts[0].strip().startswith("["):
                body[name] = _scalar(texts[0], field_schema, components)
            else:
                # `genres=Action&genres=Drama`, or one comma-separated value.
                parts = texts if len(texts) > 1 else [p for p in texts[0].split(",") if p.strip()]
                body[name] = [_scalar(part.strip(), items, components) for part in parts]
        else:
            body[name] = _scalar(texts[-1], field_schema, components)
    return body


def _json_schema_of(scope: Scope) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The JSON request schema of the operation this request routes to, and the components."""
    app = scope["app"]
    document = app.openapi()
    for route in (context.route for context in iter_route_contexts(app.routes)):
        path_format = getattr(route, "path_format", None)
        if (
            path_format
            and getattr(route, "methods", None)
            and route.matches(scope)[0] == Match.FULL
        ):
            operation = document["paths"].get(path_format, {}).get(scope["method"].lower())
            content = (operation or {}).get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                return None
            return schema, document.get("components", {}).get("schemas", {})
    return None


class FormBodyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in WRITE_METHODS
            or _content_type(scope) not in FORM_TYPES
        ):
            await self.app(scope, receive, send)
            return
        found = _json_schema_of(scope)
        if found is None:
            await self.app(scope, receive, send)  # the route answers 404, 405 or 415
            return
        try:
            # More fields than Starlette's default 1000: a playlist's `movie_ids` repeat one
            # field per movie; the body size limit bounds the parse anyway.
            async with Request(scope, receive).form(max_fields=MAX_FORM_FIELDS) as form:
                body = form_to_json(form, *found)
        except (HTTPException, MultiPartException):
            await self._refuse(scope, receive, send, "body", "The form body cannot be parsed.")
            return
        except ValueError as error:
            await self._refuse(scope, receive, send, str(error), "Send text, not a file.")
            return
        encoded = json.dumps(body).encode()
        headers = [
            (key, value)
            for key, value in scope["headers"]
            if key not in (b"content-type", b"content-length")
        ]
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", b"%d" % len(encoded)),
        ]
        sent = False

        async def json_receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": encoded, "more_body": False}
            return await receive()

        await self.app({**scope, "headers": headers}, json_receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, field: str, message: str) -> None:
        detail = {"field": field, "message": message, "type": "form_invalid"}
        await validation_error_response([detail])(scope, receive, send)


def document_form_bodies(app: FastAPI) -> None:
    """Every write that takes a JSON object also takes it as a form: say so in the document,
    as alternative request bodies with the same schema."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                content = operation.get("requestBody", {}).get("content", {})
                if method.upper() not in WRITE_METHODS or "application/json" not in content:
                    continue
                for media_type in FORM_TYPES:
                    content.setdefault(
                        media_type, {"schema": content["application/json"]["schema"]}
                    )
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
