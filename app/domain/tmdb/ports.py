"""The Movie Database as the core sees it: the `TmdbClient` port, what it answers, and the
errors it raises. Adapters turn HTTP statuses and bodies into these; routers map them to HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.shared.errors import NotFound, ServiceUnavailable, UpstreamError, UpstreamTimeout

ListCategory = Literal["popular", "top_rated", "now_playing", "upcoming", "trending"]
TrendingWindow = Literal["day", "week"]
LIST_CATEGORIES: tuple[ListCategory, ...] = (
    "popular",
    "top_rated",
    "now_playing",
    "upcoming",
    "trending",
)
# TMDb refuses pages above 500 while still reporting larger `total_pages`.
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class TmdbPage:
    """One page of a TMDb movie list or search. `stale` is true when TMDb failed and an older copy
    of this page is served instead."""

    page: int
    total_pages: int
    total_results: int
    movies: tuple[MovieData, ...] = ()
    stale: bool = False


@dataclass(frozen=True, slots=True)
class TmdbMovieDetails:
    """`/movie/{id}`: the movie with runtime, imdb id, tagline and status, and its named genres."""

    movie: MovieData
    genres: tuple[Genre, ...] = field(default_factory=tuple)


class TmdbClient(Protocol):
    """Read access to TMDb. Every method raises the `Tmdb*` errors below, never a transport
    exception."""

    async def genres(self) -> tuple[Genre, ...]: ...

    async def movie_list(
        self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
    ) -> TmdbPage: ...

    async def search(
        self, query: str, *, page: int = 1, year: int | None = None, include_adult: bool = False
    ) -> TmdbPage: ...

    async def movie(self, tmdb_id: int) -> TmdbMovieDetails:
        """Raises `TmdbNotFound` when TMDb has no movie with this id."""
        ...


class TmdbNotConfigured(ServiceUnavailable):
    code = "tmdb_not_configured"
    default_message = "TMDb is not configured."


class TmdbRateLimited(ServiceUnavailable):
    """TMDb answered 429 and kept doing so; `retry_after` is its `Retry-After` when it gave one."""

    code = "tmdb_rate_limited"
    default_message = "TMDb is rate limiting us; try again shortly."


class TmdbCredentialsRejected(UpstreamError):
    code = "tmdb_credentials_rejected"
    default_message = "TMDb rejected our API credentials."


class TmdbBadResponse(UpstreamError):
    """A body that is not JSON or not the shape TMDb documents."""

    code = "tmdb_bad_response"
    default_message = "TMDb answered with a body we could not read."


class TmdbUnavailable(UpstreamError):
    """5xx answers or network failures that outlasted our retries."""

    code = "tmdb_unavailable"
    default_message = "TMDb is unavailable."


class TmdbRequestRejected(UpstreamError):
    """A 4xx other than 401, 404 and 429: our request was wrong in TMDb's eyes."""

    code = "tmdb_request_rejected"
    default_message = "TMDb refused the request."


class TmdbTimeout(UpstreamTimeout):
    code = "tmdb_timeout"
    default_message = "TMDb did not answer in time."


class TmdbNotFound(NotFound):
    code = "not_found"
    default_message = "TMDb has no such resource."


# Failures that say nothing about our request: a stale cached copy may stand in for the answer.
TRANSIENT_TMDB_ERRORS: tuple[type[Exception], ...] = (
    TmdbRateLimited,
    TmdbBadResponse,
    TmdbUnavailable,
    TmdbTimeout,
)
