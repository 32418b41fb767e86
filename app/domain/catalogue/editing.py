"""Staff edits of the catalogue. The routers only let staff in; these use cases check the data
itself, so a movie never points at a genre that does not exist."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from app.domain.catalogue.details import MovieDetail, full_distribution, named_genres
from app.domain.catalogue.movies import Movie, MovieData
from app.domain.catalogue.queries import invalid
from app.domain.shared import cache_keys
from app.domain.shared.errors import NotFound
from app.domain.shared.ports import Cache, Database, UnitOfWork

EDITABLE_FIELDS = frozenset(item.name for item in fields(MovieData))


def checked_movie(data: MovieData) -> MovieData:
    """Strips the title and refuses values no catalogue row may hold."""
    title = data.title.strip()
    if not title:
        raise invalid("title", "must not be blank")
    if not 0 <= data.vote_average <= 10:
        raise invalid("vote_average", "must be between 0 and 10")
    for name in ("popularity", "vote_count", "runtime"):
        value = getattr(data, name)
        if value is not None and value < 0:
            raise invalid(name, "must not be negative")
    return replace(data, title=title, genre_ids=tuple(dict.fromkeys(data.genre_ids)))


def data_of(movie: Movie) -> MovieData:
    return MovieData(**{name: getattr(movie, name) for name in EDITABLE_FIELDS})


async def _check_genres(uow: UnitOfWork, data: MovieData) -> None:
    if not data.genre_ids:
        return
    known = await uow.genres.by_ids(data.genre_ids)
    unknown = [str(genre_id) for genre_id in data.genre_ids if genre_id not in known]
    if unknown:
        raise invalid("genre_ids", f"unknown genre: {', '.join(unknown)}")


async def _detail(uow: UnitOfWork, movie: Movie) -> MovieDetail:
    by_id = await uow.genres.by_ids(movie.genre_ids) if movie.genre_ids else {}
    distribution = await uow.movies.rating_distribution(movie.id)
    return MovieDetail(movie, named_genres(movie, by_id), full_distribution(distribution))


def _not_found() -> NotFound:
    return NotFound("Movie not found.", details=[{"field": "id", "message": "unknown"}])


class CreateMovie:
    """A new catalogue entry; a TMDb id already in the catalogue is a conflict."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, data: MovieData) -> MovieDetail:
        data = checked_movie(data)
        async with self._database.unit_of_work() as uow:
            await _check_genres(uow, data)
            movie = await uow.movies.add(data)
            detail = await _detail(uow, movie)
            await uow.commit()
        return detail


class UpdateMovie:
    """Sets the given fields (all of them for a PUT); the local rating aggregates are the
    ratings' business and never change here."""

    def __init__(self, database: Database, cache: Cache) -> None:
        self._database, self._cache = database, cache

    async def __call__(self, movie_id: int, changes: dict[str, Any]) -> MovieDetail:
        unknown = sorted(set(changes) - EDITABLE_FIELDS)
        if unknown:
            raise invalid(unknown[0], "cannot be changed")
        async with self._database.unit_of_work() as uow:
            current = await uow.movies.get(movie_id, for_update=True)
            if current is None:
                raise _not_found()
            data = checked_movie(replace(data_of(current), **changes))
            await _check_genres(uow, data)
            movie = await uow.movies.replace(movie_id, data)
            detail = await _detail(uow, movie)
            await uow.commit()
        await self._cache.delete(cache_keys.movie_detail(movie_id))
        return detail


class DeleteMovie:
    """Removes the movie with its ratings and playlist entries (the database cascades)."""

    def __init__(self, database: Database, cache: Cache) -> None:
        self._database, self._cache = database, cache

    async def __call__(self, movie_id: int) -> None:
        async with self._database.unit_of_work() as uow:
            if not await uow.movies.delete(movie_id):
                raise _not_found()
            await uow.commit()
        # Its ratings went with it: the raters' cached state (taste version) is stale too.
        await self._cache.delete(cache_keys.movie_detail(movie_id), cache_keys.users_generation())
