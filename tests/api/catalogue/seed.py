"""Catalogue rows for API tests, written through the repositories the app itself uses."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy.dialects.postgresql import insert

from app.adapters.postgres.tables import genres
from app.domain.catalogue.movies import Movie, MovieData

GENRES = {28: "Action", 35: "Comedy", 18: "Drama", 878: "Science Fiction", 10749: "Romance"}


async def add_genres(app: FastAPI) -> None:
    async with app.state.runtime.database.unit_of_work() as uow:
        rows = [{"id": genre_id, "name": name} for genre_id, name in GENRES.items()]
        # The schema already holds TMDb's genres: these are the same ones, by id and name.
        await uow.connection.execute(insert(genres).values(rows).on_conflict_do_nothing())
        await uow.commit()


async def add_movie(app: FastAPI, title: str, **fields: Any) -> Movie:
    if isinstance(fields.get("release_date"), str):
        fields["release_date"] = date.fromisoformat(fields["release_date"])
    fields["genre_ids"] = tuple(fields.get("genre_ids", ()))
    async with app.state.runtime.database.unit_of_work() as uow:
        movie = await uow.movies.add(MovieData(title=title, **fields))
        await uow.commit()
    return movie


async def add_movies(app: FastAPI, count: int, **fields: Any) -> list[Movie]:
    """`count` movies titled "Movie 000"..., popularity falling with the number."""
    async with app.state.runtime.database.unit_of_work() as uow:
        added = [
            await uow.movies.add(
                MovieData(title=f"Movie {n:03d}", popularity=float(count - n), **fields)
            )
            for n in range(count)
        ]
        await uow.commit()
    return added
