"""Cache keys for public reads, from the query parameters the route itself declares.

Two requests share a key only when the route would read the same values from them: parameters
are read as FastAPI reads them (the last value of a scalar, every value of a list), defaults are
dropped, parameters the route does not declare are dropped (it ignores them too), and values of
case-insensitive filters are lowered when they are ASCII (other scripts fold differently in
Python and PostgreSQL, so they keep their case and only split keys). The request is then served
with the normalised query, so the stored bytes (pagination links included) are the answer to
the key, whoever asked first. A route that reads headers or cookies cannot be cached this way.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin
from urllib.parse import parse_qsl, urlencode

from fastapi.dependencies.models import Dependant

MAX_QUERY_BYTES = 2048  # longer query strings are served, never stored


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str
    default: str | None  # the default as it would be written in a query string
    many: bool  # a list: every value counts, in any order
    folded: bool  # any case means the same


@dataclass(frozen=True, slots=True)
class CacheableRoute:
    """One cached route's query parameters and the version its answers depend on."""

    scope: str  # "catalogue" or "social": the version a write bumps
    params: dict[str, QueryParam]

    def normalised_query(self, raw: bytes) -> bytes | None:
        """The query as the route reads it, in one spelling; None when not worth caching."""
        if len(raw) > MAX_QUERY_BYTES:
            return None
        values: dict[str, list[str]] = {}
        try:
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, strict_parsing=False)
        except ValueError:
            return None
        for name, value in pairs:
            param = self.params.get(name)
            if param is None:
                continue  # not declared: the route never reads it
            if param.folded and value.isascii():
                value = value.lower()
            if param.many:
                values.setdefault(name, []).append(value)
            else:
                values[name] = [value]  # FastAPI reads the last one
        kept: list[tuple[str, str]] = []
        for name in sorted(values):
            param = self.params[name]
            found = values[name]
            if not param.many and found[0] == param.default:
                continue
            kept.extend((name, value) for value in (sorted(found) if param.many else found))
        return urlencode(kept).encode("latin-1")


def cacheable_route(route: Any, scope: str) -> CacheableRoute:
    """The parameters of `route` (the route the router picked, with its `dependant`); refuses a
    route whose answer could depend on a header or cookie it declares."""
    params: dict[str, QueryParam] = {}
    dependant_of_route: Dependant = route.dependant
    for dependant in _all(dependant_of_route):
        if dependant.header_params or dependant.cookie_params:
            raise ValueError(f"{route.path} reads headers or cookies: its answers may differ")
        for field in dependant.query_params:
            info = field.field_info
            default = info.default
            params[field.alias] = QueryParam(
                name=field.alias,
                default=_as_query_value(default),
                many=_is_sequence(info.annotation),
                folded=field.alias in FOLDED.get(route.path, ()),
            )
    return CacheableRoute(scope, params)


# Filters the catalogue matches in any case (folded in SQL); see app/adapters/postgres.
FOLDED = {"/api/movies/": ("title", "search", "language", "genre")}


def _all(dependant: Dependant) -> list[Dependant]:
    found, pending = [], [dependant]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(current.dependencies)
    return found


def _as_query_value(default: Any) -> str | None:
    if default is None or isinstance(default, (list, tuple)):
        return None
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, (str, int, float)):
        return str(default)
    return None


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set)
