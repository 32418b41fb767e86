"""`nexus sync-tmdb`: copy one of TMDb's movie lists into the catalogue."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TextIO

from app.bootstrap.settings import ConfigurationError, Settings
from app.cli import EXTRA_PARSERS, command, positive_int, prepare_database
from app.domain.shared.errors import DomainError
from app.domain.tmdb.ports import LIST_CATEGORIES, MAX_PAGE
from app.domain.tmdb.sync import MAX_CONCURRENCY, SyncCatalogue, SyncReport, SyncRequest

log = logging.getLogger("nexus.cli.tmdb")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sync-tmdb", help="copy a TMDb movie list into the catalogue")
    parser.add_argument("--category", choices=LIST_CATEGORIES, default="popular")
    parser.add_argument("--pages", type=positive_int, default=1, help=f"at most {MAX_PAGE}")
    parser.add_argument("--window", choices=("day", "week"), default="day", help="trending only")
    parser.add_argument(
        "--details", action="store_true", help="also fetch runtime, imdb id, tagline and status"
    )
    parser.add_argument(
        "--concurrency",
        type=positive_int,
        default=None,
        help=f"pages in flight (at most {MAX_CONCURRENCY})",
    )


class Progress:
    """A progress bar on a terminal, one log line per page otherwise."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.bar = stream.isatty()

    def __call__(self, page: int, report: SyncReport) -> None:
        self.done += 1
        total = max(report.pages_requested, self.done)
        failed = len(report.failed_pages)
        if self.bar:
            filled = int(30 * self.done / total)
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{total} pages, "
                f"{report.created} created, {report.updated} updated, {failed} failed"
            )
            self.stream.flush()
        else:
            state = "failed" if page in report.failed_pages else "synced"
            log.info("page %d %s (%d/%d)", page, state, self.done, total)

    def close(self) -> None:
        if self.bar:
            self.stream.write("\n")


async def run_sync(settings: Settings, request: SyncRequest, progress: Progress) -> SyncReport:
    from app.adapters.postgres.database import PostgresDatabase, create_engine
    from app.adapters.redis.cache import RedisCache
    from app.adapters.redis.client import create_redis
    from app.bootstrap.tmdb import build_tmdb_client, create_tmdb_http

    assert settings.database_url is not None
    database = PostgresDatabase(create_engine(settings.database_url, pool_size=request.concurrency))
    http = create_tmdb_http(settings)
    # The service's cache, so that movies the sync changes are not served stale from it.
    redis = create_redis(settings.redis_url) if settings.redis_url else None
    cache = RedisCache(redis, prefix=f"{settings.redis_key_prefix}cache:") if redis else None
    try:
        sync = SyncCatalogue(build_tmdb_client(settings, http), database, cache)
        return await sync(request, on_page=progress)
    finally:
        progress.close()
        await http.aclose()
        await database.dispose()
        if redis is not None:
            await redis.aclose()


@command("sync-tmdb")
def sync_tmdb(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.tmdb_configured:
        raise ConfigurationError("TMDB_READ_TOKEN: set TMDB_READ_TOKEN or TMDB_API_KEY to sync")
    pages = args.pages
    if pages > MAX_PAGE:
        log.warning("TMDb serves at most %d pages: syncing %d, not %d", MAX_PAGE, MAX_PAGE, pages)
        pages = MAX_PAGE
    concurrency = args.concurrency or settings.tmdb_sync_concurrency
    if concurrency > MAX_CONCURRENCY:
        log.warning("concurrency capped at %d to respect TMDb's rate limit", MAX_CONCURRENCY)
        concurrency = MAX_CONCURRENCY
    settings = prepare_database(settings, migrate=args.migrate)
    request = SyncRequest(args.category, pages, args.window, args.details, concurrency)
    try:
        report = asyncio.run(run_sync(settings, request, Progress(pages)))
    except DomainError as error:
        print(f"nexus: sync failed: {error.message}", file=sys.stderr)
        return 1
    print(
        f"synced {report.pages_synced}/{report.pages_requested} pages of {args.category}: "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.failed_pages)} failed"
    )
    if args.category == "trending":
        print(f"stored {report.trending_ranks} TMDb trending ranks for the {args.window} window")
    for page, reason in sorted(report.failed_pages.items()):
        print(f"  page {page} failed: {reason}", file=sys.stderr)
    return 0 if report.ok else 1


EXTRA_PARSERS.append(add_parser)
