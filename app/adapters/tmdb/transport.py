"""GET a TMDb path and return its JSON: credentials, retries with backoff and jitter, and the
translation of every HTTP or network failure into a domain error.

Retried: 429 (after its `Retry-After` when given), 5xx, time-outs and network errors, at most
`max_retries` times. Never retried: other 4xx. Credentials travel in a header or a query
parameter, never in a log line, an error message or a cache key.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import perf_counter, time
from typing import Any

import httpx

from app.adapters.telemetry import (
    SilentUpstreamTelemetry,
    UpstreamTelemetry,
    endpoint_template,
    outcome_of_status,
)
from app.adapters.tmdb.requests import TmdbRequest
from app.domain.tmdb.ports import (
    TmdbBadResponse,
    TmdbCredentialsRejected,
    TmdbNotConfigured,
    TmdbNotFound,
    TmdbRateLimited,
    TmdbRequestRejected,
    TmdbTimeout,
    TmdbUnavailable,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_base: float = 0.5  # seconds before the first retry, doubled each time
    backoff_max: float = 8.0
    # A longer Retry-After is not waited for: the caller gets a 503 carrying it instead.
    max_retry_after: float = 10.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": between half and all of the capped delay."""
        delay = min(self.backoff_max, self.backoff_base * 2**attempt)
        return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not security


class _Retry(Exception):
    def __init__(self, error: Exception, delay: float | None = None) -> None:
        self.error, self.delay = error, delay


class TmdbTransport:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str | None = None,
        read_token: str | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        telemetry: UpstreamTelemetry | None = None,
    ) -> None:
        if not api_key and not read_token:
            raise TmdbNotConfigured()
        self._http = http
        self._headers = {"Accept": "application/json"}
        self._auth_params: dict[str, str] = {}
        if read_token:
            self._headers["Authorization"] = f"Bearer {read_token}"
        elif api_key:
            self._auth_params["api_key"] = api_key
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._telemetry = telemetry or SilentUpstreamTelemetry()
        install_secret_redaction()

    async def get_json(self, request: TmdbRequest) -> Any:
        for attempt in range(self._retry.max_retries + 1):
            try:
                return await self._attempt(request)
            except _Retry as retry:
                if attempt >= self._retry.max_retries:
                    raise retry.error from None
                delay = retry.delay if retry.delay is not None else self._retry.backoff(attempt)
                log.info(
                    "TMDb %s failed (%s), retry %d in %.2fs",
                    request.path,
                    retry.error.message,  # type: ignore[attr-defined]
                    attempt + 1,
                    delay,
                )
                await self._sleep(delay)
        raise AssertionError("unreachable")

    async def _attempt(self, request: TmdbRequest) -> Any:
        """One call, reported to the telemetry (retries are calls of their own)."""
        params = dict(request.params) | self._auth_params
        endpoint, started = endpoint_template(request.path), perf_counter()
        try:
            response = await self._http.get(request.path, params=params, headers=self._headers)
        except httpx.TimeoutException:
            self._telemetry.call(endpoint, "timeout", perf_counter() - started)
            raise _Retry(TmdbTimeout()) from None
        except httpx.TransportError as error:
            self._telemetry.call(endpoint, "error", perf_counter() - started)
            raise _Retry(TmdbUnavailable(f"TMDb is unreachable: {type(error).__name__}.")) from None
        status = response.status_code
        self._telemetry.call(endpoint, outcome_of_status(status), perf_counter() - started)
        if status == 200:
            return _json(response)
        if status == 429:
            retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
            limited = TmdbRateLimited(
                retry_after=None if retry_after is None else _ceil(retry_after)
            )
            if retry_after is not None and retry_after > self._retry.max_retry_after:
                raise limited
            raise _Retry(limited, retry_after)
        message = _status_message(response)
        if status >= 500:
            raise _Retry(TmdbUnavailable(f"TMDb answered {status}: {message}"))
        if status == 401:
            raise TmdbCredentialsRejected(f"TMDb rejected our API credentials: {message}")
        if status == 404:
            raise TmdbNotFound(f"TMDb has no such resource: {message}")
        raise TmdbRequestRejected(f"TMDb refused the request ({status}): {message}")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        kind = response.headers.get("Content-Type", "no content type")
        raise _Retry(TmdbBadResponse(f"TMDb answered with malformed JSON ({kind}).")) from None


def _status_message(response: httpx.Response) -> str:
    """TMDb's `status_message` or `errors`, else a mention of the body's type (proxies answer
    5xx in plain text or HTML, which we never echo)."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return f"a non-JSON body ({response.headers.get('Content-Type', 'no content type')})"
    if isinstance(body, dict):
        if isinstance(body.get("status_message"), str):
            code = body.get("status_code")
            return redact(f"{body['status_message']} (code {code})")
        if isinstance(body.get("errors"), list):
            return redact("; ".join(str(item) for item in body["errors"]))
    return "an unexpected JSON body"


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError):
        return None


def _ceil(seconds: float) -> int:
    return max(1, int(-(-seconds // 1)))


_SECRET_PARAM = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+")


def redact(text: str) -> str:
    return _BEARER.sub(r"\1***", _SECRET_PARAM.sub(r"\1***", text))


class RedactSecretsFilter(logging.Filter):
    """httpx logs every request URL at INFO, query string included: hide the API key there."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_secret_redaction() -> None:
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
            logger.addFilter(RedactSecretsFilter())
