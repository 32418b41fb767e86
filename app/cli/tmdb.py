"""`nexus sync-tmdb`: copy one of TMDb's movie lists into the catalogue."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from app.bootstrap.settings import ConfigurationError, Settings
from app.cli import EXTRA_PARSERS, command, positive_int, prepare_database
from app.cli.progress import ProgressBar
from app.domain.shared.errors import DomainError
from app.domain.tmdb.ports import LIST_CATEGORIES, MAX_PAGE
from app.domain.tmdb.sync import MAX_CONCURRENCY, SyncReport, SyncRequest

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
    """The sync's pages on the progress bar: one log line per page when not on a terminal."""

    def __init__(self, bar: ProgressBar | None = None) -> None:
        self.bar = bar or ProgressBar(every_step=True)
        self.done = 0

    def __call__(self, page: int, report: SyncReport) -> None:
        self.done += 1
        state = "failed" if page in report.failed_pages else "synced"
        self.bar(
            "pages",
            self.done,
            max(report.pages_requested, self.done),
            f"page {page} {state}; {report.created} created, {report.updated} updated, "
            f"{len(report.failed_pages)} failed",
        )

    def close(self) -> None:
        self.bar.close()


async def run_sync(settings: Settings, request: SyncRequest, progress: Progress) -> SyncReport:
    from app.bootstrap.batch import catalogue_sync

    try:
        async with catalogue_sync(settings, request.concurrency) as sync:
            return await sync(request, on_page=progress)
    finally:
        progress.close()


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
        report = asyncio.run(run_sync(settings, request, Progress()))
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
