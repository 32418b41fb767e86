"""The demo account of `nexus demo`: a clear taste (it loves one genre's best-known movies and
dislikes the most popular of the rest), so its recommendations visibly differ from the popular
list. Its password is generated once and kept in the data dir."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.bootstrap.settings import Settings
from app.cli.failures import CommandError

USERNAME = "demo"
# Genres to love, first with enough movies wins: TMDb ids and names.
TASTES = ((16, "Animation"), (878, "Science Fiction"), (35, "Comedy"), (18, "Drama"))
LOVED, DISLIKED, ENOUGH = 12, 6, 5


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    taste: str
    loved: int
    disliked: int


def demo_password(data_dir: Path) -> str:
    path = data_dir / "demo_password"
    if path.is_file():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


async def ensure_demo_account(settings: Settings, password: str) -> DemoAccount:
    """Created on the first run, left as it is after that (ratings added only if missing)."""
    from app.bootstrap.batch import batch_database
    from app.cli.user_create import create_account

    async with batch_database(settings) as database:
        async with database.unit_of_work() as uow:
            exists = await uow.connection.scalar(
                text("SELECT id FROM users WHERE lower(username) = :name"), {"name": USERNAME}
            )
        if exists is None:
            await create_account(settings, USERNAME, f"{USERNAME}@example.invalid", password, False)
        async with database.unit_of_work() as uow:
            account = await _rated_before(uow.connection, password) or await _rate(
                uow.connection, password
            )
            await uow.commit()
    return account


async def _rated_before(connection: AsyncConnection, password: str) -> DemoAccount | None:
    """A second `nexus demo` keeps the ratings of the first; the taste is read back from them."""
    rows = (
        await connection.execute(
            text(
                "SELECT r.score, m.genre_ids FROM ratings r JOIN users u ON u.id = r.user_id "
                "JOIN movies m ON m.id = r.movie_id WHERE lower(u.username) = :name"
            ),
            {"name": USERNAME},
        )
    ).all()
    loved = [set(genres) for score, genres in rows if score == 5]
    if not loved:
        return None
    taste = next((name for genre, name in TASTES if all(genre in g for g in loved)), "mixed")
    disliked = sum(1 for score, _ in rows if score == 1)
    return DemoAccount(USERNAME, password, taste, len(loved), disliked)


async def _rate(connection: AsyncConnection, password: str) -> DemoAccount:
    for genre_id, taste in TASTES:  # noqa: B007 (the chosen one is used after the loop)
        loved = list(
            await connection.scalars(
                text(
                    "SELECT id FROM movies WHERE :genre = ANY(genre_ids) AND ratings_count > 0 "
                    "ORDER BY ratings_count DESC, id LIMIT :n"
                ),
                {"genre": genre_id, "n": LOVED},
            )
        )
        if len(loved) >= ENOUGH:
            break
    else:
        raise CommandError("the catalogue has too few rated movies for a demo account")
    disliked = list(
        await connection.scalars(
            text(
                "SELECT id FROM movies WHERE NOT (:genre = ANY(genre_ids)) AND ratings_count > 0 "
                "ORDER BY ratings_count DESC, id LIMIT :n"
            ),
            {"genre": genre_id, "n": DISLIKED},
        )
    )
    scores = [(movie, 5) for movie in loved] + [(movie, 1) for movie in disliked]
    await connection.execute(
        text(
            "INSERT INTO ratings (user_id, movie_id, score) "
            "SELECT u.id, :movie, :score FROM users u WHERE lower(u.username) = :name "
            "ON CONFLICT (user_id, movie_id) DO NOTHING"
        ),
        [{"movie": movie, "score": score, "name": USERNAME} for movie, score in scores],
    )
    # The movies' aggregates, recounted from the rows, as every rating write keeps them.
    await connection.execute(
        text(
            "UPDATE movies m SET ratings_count = a.count, ratings_sum = a.sum FROM "
            "(SELECT movie_id, count(*) AS count, sum(score) AS sum FROM ratings "
            " WHERE movie_id = ANY(:ids) GROUP BY movie_id) a WHERE m.id = a.movie_id"
        ),
        {"ids": [movie for movie, _ in scores]},
    )
    return DemoAccount(USERNAME, password, taste, len(loved), len(disliked))
