"""Building TMDb clients from settings, for the service and for the CLI.

The HTTP client and its adapters are imported where a client is built: a service without TMDb
credentials never loads httpx (about 6 MiB a worker)."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.telemetry import UpstreamTelemetry
from app.bootstrap.jobs import FirstRun, Job, Scheduler
from app.bootstrap.settings import Settings
from app.domain.shared.ports import Cache
from app.domain.tmdb.ports import TmdbClient
from app.domain.tmdb.sync import SyncCatalogue, SyncRequest

if TYPE_CHECKING:
    import httpx

    from app.adapters.tmdb.client import HttpxTmdbClient


def create_tmdb_http(settings: Settings) -> httpx.AsyncClient:
    from app.adapters.tmdb.client import create_http_client

    return create_http_client(
        str(settings.tmdb_base_url),
        timeout=settings.tmdb_timeout_seconds,
        max_connections=settings.tmdb_max_connections,
    )


def build_tmdb_client(
    settings: Settings, http: httpx.AsyncClient, telemetry: UpstreamTelemetry | None = None
) -> HttpxTmdbClient:
    """The uncached client; callers check `settings.tmdb_configured` first."""
    from app.adapters.tmdb.client import HttpxTmdbClient
    from app.adapters.tmdb.transport import RetryPolicy, TmdbTransport

    transport = TmdbTransport(
        http,
        api_key=_secret(settings.tmdb_api_key),
        read_token=_secret(settings.tmdb_read_token),
        retry=RetryPolicy(
            max_retries=settings.tmdb_max_retries,
            backoff_base=settings.tmdb_backoff_base_seconds,
            backoff_max=settings.tmdb_backoff_max_seconds,
            max_retry_after=settings.tmdb_max_retry_after_seconds,
        ),
        telemetry=telemetry,
    )
    return HttpxTmdbClient(transport, language=settings.tmdb_language)


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter else None


def start_tmdb(
    settings: Settings,
    stack: AsyncExitStack,
    cache: Cache,
    engine: AsyncEngine,
    scheduler: Scheduler,
    telemetry: UpstreamTelemetry | None = None,
) -> TmdbClient | None:
    """The cached TMDb client for the service (None without credentials), and the periodic sync
    job (first run at start) when `TMDB_SYNC_INTERVAL` is set. The client is closed by `stack`."""
    if not settings.tmdb_configured:
        return None
    from app.adapters.tmdb.cached import CachedTmdbClient
    from app.adapters.tmdb.periodic_sync import JOB_NAME, PeriodicCatalogueSync

    http = create_tmdb_http(settings)
    stack.push_async_callback(http.aclose)
    client = build_tmdb_client(settings, http, telemetry)
    if settings.tmdb_sync_interval:
        # The sync wants fresh pages, so it bypasses the cache.
        sync = PeriodicCatalogueSync(
            SyncCatalogue(client, PostgresDatabase(engine), cache),
            SyncRequest(
                category=settings.tmdb_sync_category,
                pages=settings.tmdb_sync_pages,
                window=settings.tmdb_sync_window,
                concurrency=settings.tmdb_sync_concurrency,
            ),
        )
        scheduler.add(Job(JOB_NAME, sync, settings.tmdb_sync_interval, FirstRun.AT_START))
    return CachedTmdbClient(client, cache, language=settings.tmdb_language)
