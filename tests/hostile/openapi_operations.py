"""The app's own OpenAPI operations, read once at collection time, so that the hand-written
hostile cases cover every endpoint that exists, new ones included, without being listed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.cli.openapi import openapi_document

BODY_METHODS = ("post", "put", "patch")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    parameters: tuple[dict[str, Any], ...]
    server_errors: frozenset[int]
    has_body: bool

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def query_parameters(self, *types: str) -> list[str]:
        return [
            parameter["name"]
            for parameter in self.parameters
            if parameter.get("in") == "query" and _type_of(parameter) in types
        ]

    def url(self, **path_values: str) -> str:
        """The path with every `{name}` filled: given values, else `1`."""
        return re.sub(r"\{([^}]+)\}", lambda m: path_values.get(m.group(1), "1"), self.path)

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"\{([^}]+)\}", self.path)


def _type_of(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if "type" in schema:
        return str(schema["type"])
    for option in schema.get("anyOf", []):
        if option.get("type") not in (None, "null"):
            return str(option["type"])
    return "string"


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if method not in ("get", *BODY_METHODS, "delete"):
                continue
            found.append(
                Operation(
                    method=method,
                    path=path,
                    parameters=tuple(operation.get("parameters", [])),
                    server_errors=frozenset(
                        int(status)
                        for status in operation.get("responses", {})
                        if status.isdigit() and int(status) >= 500
                    ),
                    has_body="requestBody" in operation,
                )
            )
    return tuple(found)


def operations_where(method: str | None = None, *, body: bool | None = None) -> list[Operation]:
    return [
        operation
        for operation in operations()
        if (method is None or operation.method == method)
        and (body is None or operation.has_body == body)
    ]
