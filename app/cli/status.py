"""What a person wants to know about a running (or about to run) Nexus, in words: where its data
lives, whether Redis is in use, the recommendation model's state. Shared by `serve`'s banner and
`nexus doctor`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.bootstrap.settings import Settings


@dataclass(frozen=True, slots=True)
class ModelState:
    model_id: int
    built_at: datetime
    items: int
    ratings: int


async def latest_model(url: str) -> ModelState | None:
    from sqlalchemy import text

    from app.bootstrap.batch import probe_connection

    async with probe_connection(url) as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT id, built_at, items_count, ratings_count FROM recommender_models "
                    "ORDER BY id DESC LIMIT 1"
                )
            )
        ).first()
    return None if row is None else ModelState(int(row[0]), row[1], int(row[2]), int(row[3]))


def age(since: datetime, now: datetime | None = None) -> str:
    seconds = max(0, int(((now or datetime.now(UTC)) - since).total_seconds()))
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def describe_model(model: ModelState | None, now: datetime | None = None) -> str:
    if model is None:
        return "none yet: recommendations fall back to popular movies (`nexus build-model`)"
    return (
        f"model {model.model_id}, built {age(model.built_at, now)} from "
        f"{model.ratings} ratings of {model.items} movies"
    )


def describe_database(url: str, embedded: bool, data_dir: Path) -> str:
    from sqlalchemy.engine import make_url

    if embedded:
        return f"embedded PostgreSQL, data in {(data_dir / 'postgres').resolve()}"
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)


def describe_redis(settings: Settings) -> str:
    if settings.redis_url is None:
        return "not in use: cache and rate limits live in this process (set REDIS_URL to share)"
    from sqlalchemy.engine import make_url

    # make_url parses redis:// URLs too; the password stays hidden.
    return f"in use: {make_url(settings.redis_url).render_as_string(hide_password=True)}"
