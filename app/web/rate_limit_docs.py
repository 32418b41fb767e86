"""The 429 every rate-limited operation can answer, in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.web.errors import error_responses


def document_429(app: FastAPI) -> None:
    """Every `/api/` operation can answer 429: say so in the OpenAPI document."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        has_error_body = "ErrorBody" in schema.get("components", {}).get("schemas", {})
        response: dict[str, Any] = {"description": error_responses(429)[429]["description"]}
        if has_error_body:
            body = {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
            response["content"] = {"application/json": body}
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/api/"):
                for operation in operations.values():
                    operation.setdefault("responses", {}).setdefault("429", response)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
