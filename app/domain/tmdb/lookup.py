"""Live TMDb search marked with what our catalogue holds, and importing one film from TMDb."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.shared.errors import DomainError, InvalidInput
from app.domain.shared.ports import Database
from app.domain.tmdb.ports import MAX_PAGE, TmdbClient, TmdbNotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FoundMovie:
    movie: MovieData
    local_id: int | None  # our id when the film is in the catalogue
    genres: tuple[Genre, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResults:
    page: int
    total_pages: int
    total_results: int
    results: tuple[FoundMovie, ...]
    stale: bool = False


class SearchTmdb:
    """Search TMDb by title; each result says whether it is in our catalogue (one query for the
    whole page). Genre names come from TMDb's genre list; without it, results keep their ids."""

    def __init__(self, tmdb: TmdbClient, database: Database) -> None:
        self._tmdb = tmdb
        self._database = database

    async def __call__(
        self, query: str, *, page: int = 1, year: int | None = None, include_adult: bool = False
    ) -> SearchResults:
        query = query.strip()
        if not query:
            raise InvalidInput(
                "A search needs a title.", details=[{"field": "q", "message": "Must not be empty."}]
            )
        if not 1 <= page <= MAX_PAGE:
            raise InvalidInput(
                f"TMDb pages run from 1 to {MAX_PAGE}.",
                details=[{"field": "page", "message": f"Must be between 1 and {MAX_PAGE}."}],
            )
        found = await self._tmdb.search(query, page=page, year=year, include_adult=include_adult)
        tmdb_ids = [movie.tmdb_id for movie in found.movies if movie.tmdb_id is not None]
        async with self._database.unit_of_work() as uow:
            local = await uow.catalogue.local_ids(tmdb_ids)
        names = await self._genre_names()
        return SearchResults(
            page=found.page,
            total_pages=min(found.total_pages, MAX_PAGE),
            total_results=found.total_results,
            results=tuple(
                FoundMovie(
                    movie=movie,
                    local_id=local.get(movie.tmdb_id) if movie.tmdb_id is not None else None,
                    genres=tuple(Genre(id=g, name=names[g]) for g in movie.genre_ids if g in names),
                )
                for movie in found.movies
            ),
            stale=found.stale,
        )

    async def _genre_names(self) -> dict[int, str]:
        try:
            return {genre.id: genre.name for genre in await self._tmdb.genres()}
        except DomainError as error:
            log.warning("TMDb genre names unavailable for search results: %s", error.message)
            return {}


@dataclass(frozen=True, slots=True)
class ImportedMovie:
    found: FoundMovie
    created: bool  # False: it was already in the catalogue


class ImportFromTmdb:
    """Add one TMDb film to the catalogue (with its details and genres) so it can be rated.
    Already there: nothing is written and TMDb is not asked. Not on TMDb: `NotFound`."""

    def __init__(self, tmdb: TmdbClient, database: Database) -> None:
        self._tmdb = tmdb
        self._database = database

    async def __call__(self, tmdb_id: int) -> ImportedMovie:
        async with self._database.unit_of_work() as uow:
            stored = await uow.catalogue.stored(tmdb_id)
        if stored is not None:
            local_id, movie, genres = stored
            return ImportedMovie(FoundMovie(movie, local_id, genres), created=False)
        try:
            details = await self._tmdb.movie(tmdb_id)
        except TmdbNotFound:
            raise TmdbNotFound(f"TMDb has no movie with id {tmdb_id}.") from None
        async with self._database.unit_of_work() as uow:
            await uow.catalogue.upsert_genres(details.genres)
            outcome = await uow.catalogue.upsert_movies([details.movie])
            await uow.commit()
            written = dict(outcome.ids).get(tmdb_id)
            # Not returned: a concurrent import wrote the same data first.
            local_id = written or (await uow.catalogue.local_ids([tmdb_id]))[tmdb_id]
        return ImportedMovie(
            FoundMovie(details.movie, local_id, details.genres), created=outcome.created > 0
        )
