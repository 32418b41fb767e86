"""Optional sign-in in the OpenAPI document.

FastAPI declares a security requirement on every operation that reads credentials, even when it
reads them only if present (`OptionalUser`). Clients and checkers then believe anonymous calls
are refused. For operations that take an optional user and never require one, `{}` is added to
their `security` list: OpenAPI's way of saying "anonymous is fine too".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.routers.deps import current_user, optional_user


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    found: set[Callable[..., Any]] = set()
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            found.add(dependency.call)
        found |= _calls(dependency)
    return found


def _sign_in_is_optional(route: APIRoute) -> bool:
    calls = _calls(route.dependant)
    return optional_user in calls and current_user not in calls


def declare_optional_security(app: FastAPI) -> None:
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build_schema()
        # Routers are included lazily: their routes are reached through the route contexts.
        for context in iter_route_contexts(app.routes):
            route = context.route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            if not _sign_in_is_optional(route):
                continue
            operations = schema.get("paths", {}).get(route.path_format, {})
            for method in route.methods or ():
                operation = operations.get(method.lower())
                if operation and operation.get("security") and {} not in operation["security"]:
                    operation["security"] = [{}, *operation["security"]]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
