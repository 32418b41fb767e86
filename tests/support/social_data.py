"""Test data for ratings, playlists and profiles: movies and genres inserted with plain SQL, and a
statement counter for N+1 checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event, text


async def insert_genres(app: FastAPI, *genres: tuple[int, str]) -> None:
    async with app.state.runtime.database.unit_of_work() as uow:
        for genre_id, name in genres:
            await uow.connection.execute(
                text("INSERT INTO genres (id, name) VALUES (:id, :name) ON CONFLICT DO NOTHING"),
                {"id": genre_id, "name": name},
            )
        await uow.commit()


async def insert_movie(
    app: FastAPI,
    title: str = "A Movie",
    *,
    runtime: int | None = 100,
    release_date: date | None = date(1999, 3, 31),
    genre_ids: tuple[int, ...] = (),
    poster_path: str | None = "/poster.jpg",
) -> int:
    async with app.state.runtime.database.unit_of_work() as uow:
        movie_id: int = (
            await uow.connection.execute(
                text(
                    "INSERT INTO movies (title, runtime, release_date, genre_ids, poster_path) "
                    "VALUES (:title, :runtime, :release_date, :genre_ids, :poster_path) "
                    "RETURNING id"
                ),
                {
                    "title": title,
                    "runtime": runtime,
                    "release_date": release_date,
                    "genre_ids": list(genre_ids),
                    "poster_path": poster_path,
                },
            )
        ).scalar_one()
        await uow.commit()
    return movie_id


async def insert_movies(app: FastAPI, count: int, prefix: str = "Movie") -> list[int]:
    return [await insert_movie(app, f"{prefix} {n}") for n in range(count)]


async def fetch_all(app: FastAPI, sql: str, **params: Any) -> list[Any]:
    async with app.state.runtime.database.unit_of_work() as uow:
        return list(await uow.connection.execute(text(sql), params))


async def fetch_value(app: FastAPI, sql: str, **params: Any) -> Any:
    async with app.state.runtime.database.unit_of_work() as uow:
        return (await uow.connection.execute(text(sql), params)).scalar()


@contextmanager
def count_statements(app: FastAPI) -> Iterator[list[str]]:
    """Every SQL statement the app runs inside the block for requests (pool pings excluded, and
    so are the background jobs' loads of a new recommendation model, which run whenever a
    model is built, not because of a request)."""
    statements: list[str] = []
    engine = app.state.runtime.database.engine.sync_engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip().upper() in ("SELECT 1", ";") or "recommender_models" in statement:
            return
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
