"""Reading the catalogue: the filtered list, the detail page, the recent and top-rated shelves and
the genres. Each answer costs a fixed number of queries, whatever the page size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from app.domain.accounts.users import User
from app.domain.catalogue.details import MovieDetail, MovieSummary, full_distribution, named_genres
from app.domain.catalogue.movies import Genre, Movie
from app.domain.catalogue.queries import MovieQuery, genre_tokens, invalid
from app.domain.shared.errors import NotFound
from app.domain.shared.pagination import Page, PageRequest
from app.domain.shared.ports import Database, UnitOfWork

SHELF_SIZE = 20
TOP_RATED_MIN_VOTES = 100
MAX_OFFSET = 2**62  # beyond any catalogue; keeps OFFSET inside PostgreSQL's bigint


async def _summaries(uow: UnitOfWork, movies: Iterable[Movie]) -> list[MovieSummary]:
    """Name every genre of these movies with one query."""
    movies = list(movies)
    wanted = {genre_id for movie in movies for genre_id in movie.genre_ids}
    by_id = await uow.genres.by_ids(wanted) if wanted else {}
    return [MovieSummary(movie, named_genres(movie, by_id)) for movie in movies]


async def _resolve_genres(uow: UnitOfWork, query: MovieQuery) -> MovieQuery:
    """Genre filters name genres by id or case-insensitive name; an unknown one is a 422, not
    an empty page, so a typo never looks like "no movies"."""
    if not query.genres:
        return query
    ids, names = genre_tokens(query.genres)
    found = await uow.genres.matching(ids, names)
    known_ids = {genre.id for genre in found}
    known_names = {genre.name.casefold(): genre.id for genre in found}
    unknown = [str(i) for i in ids if i not in known_ids] + [
        n for n in names if n not in known_names
    ]
    if unknown:
        raise invalid("genre", f"unknown genre: {', '.join(unknown)}")
    resolved = dict.fromkeys([*ids, *(known_names[name] for name in names)])
    return replace(query, genre_ids=tuple(resolved))


def _past_the_end() -> NotFound:
    return NotFound(
        "Invalid page: past the last page.",
        details=[{"field": "page", "message": "past the last page"}],
    )


class ListMovies:
    """A page of the catalogue. Page 1 of an empty result is an empty page; any later page past
    the last one is a 404, as the original API answered."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, query: MovieQuery, page: PageRequest) -> Page[MovieSummary]:
        async with self._database.unit_of_work() as uow:
            query = await _resolve_genres(uow, query)
            if query.search_text is not None:
                # A search ranks a bounded set of candidates and counts them in the same pass.
                if page.offset > MAX_OFFSET:
                    raise _past_the_end()
                movies, count = await uow.movies.page_with_count(query, page)
            else:
                # Counted first, so huge page numbers never reach SQL's OFFSET.
                count = await uow.movies.count(query)
                movies = await uow.movies.page(query, page) if page.offset < count else []
            if page.page > 1 and not movies:
                raise _past_the_end()
            return Page(items=await _summaries(uow, movies), count=count, request=page)


class GetMovie:
    """One movie with its genres, local rating distribution and, for a signed-in caller, their
    own rating."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, movie_id: int, viewer: User | None = None) -> MovieDetail:
        async with self._database.unit_of_work() as uow:
            movie = await uow.movies.get(movie_id)
            if movie is None:
                raise NotFound("Movie not found.", details=[{"field": "id", "message": "unknown"}])
            summary = (await _summaries(uow, [movie]))[0]
            distribution = await uow.movies.rating_distribution(movie_id)
            mine = await uow.movies.rating_by(viewer.id, movie_id) if viewer else None
        return MovieDetail(
            movie=movie,
            genres=summary.genres,
            rating_distribution=full_distribution(distribution),
            my_rating=mine,
        )


class RecentMovies:
    """The movies most recently added to the catalogue, newest first, as on the original API
    (recent releases: the movie list's `ordering=-release_date` with `year_lte`)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, limit: int = SHELF_SIZE) -> list[MovieSummary]:
        async with self._database.unit_of_work() as uow:
            return await _summaries(uow, await uow.movies.recently_added(limit))


class TopRatedMovies:
    """Best TMDb vote average among movies with at least 100 votes, so that three enthusiastic
    votes do not top the chart."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, limit: int = SHELF_SIZE) -> list[MovieSummary]:
        async with self._database.unit_of_work() as uow:
            movies = await uow.movies.top_rated(TOP_RATED_MIN_VOTES, limit)
            return await _summaries(uow, movies)


class ListGenres:
    """Every genre, by name."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self) -> list[Genre]:
        async with self._database.unit_of_work() as uow:
            return await uow.genres.all()
