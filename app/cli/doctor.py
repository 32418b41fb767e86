"""`nexus doctor`: is this installation ready? Configuration, the database (reachable, schema up to
date), Redis, TMDb credentials (one cheap call) and the recommendation model, as a table of what is
fine and what to do about what is not. Exit status 1 when something is broken."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from typing import Literal

from app.bootstrap.settings import ConfigurationError, Settings
from app.cli import EXTRA_PARSERS, command
from app.cli.failures import CommandError
from app.cli.status import describe_database, describe_model, describe_redis, latest_model

Verdict = Literal["ok", "note", "FAIL"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    verdict: Verdict
    detail: str


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser(
        "doctor",
        help="check configuration, database, Redis, TMDb and the model",
        description=__doc__,
        epilog="example: DATABASE_URL=postgresql://nexus@db/nexus nexus doctor",
    )


EXTRA_PARSERS.append(add_parser)


def check_configuration(settings: Settings) -> Check:
    from app.bootstrap.embedded import ensure_data_dir
    from app.bootstrap.runtime import build_token_codec

    try:
        ensure_data_dir(settings.nexus_data_dir)
        build_token_codec(settings)
    except ConfigurationError as error:
        return Check("configuration", "FAIL", str(error))
    secret = "JWT_SECRET set" if settings.jwt_secret else "JWT secret generated in the data dir"
    return Check("configuration", "ok", f"NEXUS_ENV={settings.nexus_env}, {secret}")


def check_database(settings: Settings) -> tuple[Check, Settings | None]:
    from app.cli import prepare_database

    embedded = settings.database_url is None
    try:
        # Starts the embedded server if that is the configuration; never migrates anything.
        ready = prepare_database(settings, check_schema=False)
        assert ready.database_url is not None
    except ConfigurationError as error:
        return Check("database", "FAIL", str(error)), None
    where = describe_database(ready.database_url, embedded, settings.nexus_data_dir)
    return Check("database", "ok", where), ready


def check_schema(url: str) -> Check:
    from app.cli.schema import schema_state

    state = asyncio.run(schema_state(url))
    if state.up_to_date:
        return Check("schema", "ok", f"at {state.describe()} (current)")
    if state.newer_than_code:
        return Check("schema", "FAIL", f"at {state.describe()}, newer than this code: upgrade")
    return Check("schema", "FAIL", f"at {state.describe()}, behind: run `nexus migrate`")


def check_redis(settings: Settings) -> Check:
    if settings.redis_url is None:
        return Check("redis", "note", describe_redis(settings))

    async def ping() -> None:
        from app.adapters.redis.client import create_redis

        client = create_redis(settings.redis_url or "", socket_timeout=2.0)
        try:
            await client.ping()
        finally:
            await client.aclose()

    try:
        asyncio.run(ping())
    except Exception as error:  # any failure is the answer: Redis is not usable
        return Check("redis", "FAIL", f"no answer from REDIS_URL: {error}")
    return Check("redis", "ok", describe_redis(settings))


def check_tmdb(settings: Settings) -> Check:
    if not settings.tmdb_configured:
        return Check("tmdb", "note", "no credentials: set TMDB_READ_TOKEN to sync from TMDb")
    from app.bootstrap.tmdb import build_tmdb_client, create_tmdb_http

    once = settings.model_copy(update={"tmdb_max_retries": 0})

    async def genres() -> int:
        http = create_tmdb_http(once)
        try:
            return len(await build_tmdb_client(once, http).genres())
        finally:
            await http.aclose()

    try:
        count = asyncio.run(genres())
    except Exception as error:  # refused credentials, no network, a TMDb outage alike
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        return Check("tmdb", "FAIL", f"{reason} (check TMDB_READ_TOKEN / TMDB_API_KEY)")
    return Check("tmdb", "ok", f"credentials accepted ({count} genres)")


def check_model(url: str) -> Check:
    model = asyncio.run(latest_model(url))
    return Check("model", "ok" if model else "note", describe_model(model))


def run_checks(settings: Settings) -> list[Check]:
    checks = [check_configuration(settings)]
    database, ready = check_database(settings)
    checks.append(database)
    schema_ok = False
    if ready is not None and ready.database_url is not None:
        schema = check_schema(ready.database_url)
        checks.append(schema)
        schema_ok = schema.verdict == "ok"
    checks += [check_redis(settings), check_tmdb(settings)]
    if ready is not None and ready.database_url is not None and schema_ok:
        checks.append(check_model(ready.database_url))
    return checks


def table(checks: list[Check]) -> str:
    width = max(len(check.name) for check in checks)
    return "\n".join(f"{c.name:<{width}}  {c.verdict:<4}  {c.detail}" for c in checks)


@command("doctor")
def doctor(args: argparse.Namespace, settings: Settings) -> int:
    checks = run_checks(settings)
    print(table(checks))
    broken = [check.name for check in checks if check.verdict == "FAIL"]
    if broken:
        raise CommandError(f"broken: {', '.join(broken)}")
    return 0
