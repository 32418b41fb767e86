"""The app's own OpenAPI paths, read once: the suites walk them so new endpoints are covered."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from app.cli.openapi import openapi_document


@cache
def schema_paths() -> dict[str, Any]:
    return cast(dict[str, Any], openapi_document()["paths"])
