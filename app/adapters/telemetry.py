"""What adapters report about themselves (cache hits, upstream calls), as small ports.

Adapters take one of these and call it; the composition root hands them the Prometheus-backed
implementation, tests and scripts get the silent default. Nothing here knows Prometheus.
"""

from __future__ import annotations

import re
from typing import Protocol


class CacheTelemetry(Protocol):
    def hit(self) -> None: ...

    def miss(self) -> None: ...

    def error(self, operation: str) -> None:
        """The backend failed `operation` (get, set, delete); the caller went on without it."""
        ...


class UpstreamTelemetry(Protocol):
    def call(self, endpoint: str, outcome: str, seconds: float) -> None:
        """One call to an upstream API: `endpoint` a template such as `/search/movie`, never a
        raw URL; `outcome` `ok`, an HTTP status class such as `5xx`, `429`, `timeout` or
        `error`."""
        ...


class SilentCacheTelemetry:
    def hit(self) -> None:
        pass

    def miss(self) -> None:
        pass

    def error(self, operation: str) -> None:
        pass


class SilentUpstreamTelemetry:
    def call(self, endpoint: str, outcome: str, seconds: float) -> None:
        pass


_NUMERIC_SEGMENT = re.compile(r"/\d+(?=/|$)")


def endpoint_template(path: str) -> str:
    """`/movie/550/credits` -> `/movie/{id}/credits`: one time series per endpoint, not per id."""
    return _NUMERIC_SEGMENT.sub("/{id}", path.split("?", 1)[0])


def outcome_of_status(status: int) -> str:
    """The `outcome` label for an HTTP answer: `ok`, `429` (rate limited), `4xx` or `5xx`."""
    if 200 <= status < 300:
        return "ok"
    if status == 429:
        return "429"
    return f"{status // 100}xx"
