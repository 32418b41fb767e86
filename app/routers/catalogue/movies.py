"""The catalogue, read side: list with filters and search, detail, shelves and genres.

`{movie_id:int}` only matches digits, so fixed paths other routers add under `/api/movies/`
(`trending/`, `recommendations/`) are never taken for an id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from app.domain.catalogue.browsing import (
    GetMovie,
    ListGenres,
    ListMovies,
    RecentMovies,
    TopRatedMovies,
)
from app.domain.catalogue.queries import (
    MAX_GENRES,
    MAX_POPULARITY,
    MAX_RUNTIME,
    MAX_SEARCH_LENGTH,
    MAX_VOTES,
    MAX_YEAR,
    MIN_YEAR,
    ORDERINGS,
    GenreMode,
    MovieQuery,
)
from app.routers.catalogue.schemas import (
    GenreOut,
    MovieDetailOut,
    MovieOut,
    movie_detail_out,
    movie_out,
)
from app.routers.deps import Catalogue, OptionalUser
from app.web.errors import error_responses
from app.web.pagination import PageParams, Paginated, paginated

router = APIRouter(tags=["movies"])
genres_router = APIRouter(tags=["genres"])

MAX_ID = 2**63 - 1
# PostgreSQL text cannot hold NUL characters: refuse them in the schema, not with a 500.
NO_NUL = r"^[^\x00]*$"
MovieId = Annotated[int, Path(ge=1, le=MAX_ID, description="The movie's id.")]


def image_base(request: Request) -> str:
    image_base_url: str = request.app.state.image_base_url
    return image_base_url


async def movie_query(
    title: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="Title words or start.")
    ] = None,
    year: Annotated[
        int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Released then.")
    ] = None,
    year_gte: Annotated[
        int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Released that year or later.")
    ] = None,
    year_lte: Annotated[
        int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Released that year or earlier.")
    ] = None,
    min_rating: Annotated[
        float | None, Query(ge=0, le=10, description="TMDb vote average.")
    ] = None,
    max_rating: Annotated[
        float | None, Query(ge=0, le=10, description="TMDb vote average.")
    ] = None,
    min_popularity: Annotated[float | None, Query(ge=0, le=MAX_POPULARITY)] = None,
    min_runtime: Annotated[int | None, Query(ge=0, le=MAX_RUNTIME, description="Minutes.")] = None,
    max_runtime: Annotated[int | None, Query(ge=0, le=MAX_RUNTIME, description="Minutes.")] = None,
    genre: Annotated[
        list[str] | None,
        Query(
            max_length=MAX_GENRES,
            description="Genre id or name (any case); repeat it, or separate with commas.",
        ),
    ] = None,
    genre_mode: Annotated[
        GenreMode, Query(description="`any`: one of the genres; `all`: every one.")
    ] = "any",
    language: Annotated[
        str | None,
        Query(max_length=16, pattern=NO_NUL, description="Original language (ISO 639-1)."),
    ] = None,
    min_votes: Annotated[int | None, Query(ge=0, le=MAX_VOTES, description="TMDb votes.")] = None,
    search: Annotated[
        str | None,
        Query(
            max_length=MAX_SEARCH_LENGTH,
            pattern=NO_NUL,
            description="Title, original title and overview; any case, any accents; ranked.",
        ),
    ] = None,
    ordering: Annotated[
        str | None,
        Query(
            description="`-` for descending. Default: relevance when searching, else -popularity.",
            json_schema_extra={"enum": list(ORDERINGS)},
        ),
    ] = None,
) -> MovieQuery:
    genres = tuple(part for value in genre or () for part in value.split(",") if part.strip())
    return MovieQuery(
        title=title,
        year=year,
        year_gte=year_gte,
        year_lte=year_lte,
        min_rating=min_rating,
        max_rating=max_rating,
        min_popularity=min_popularity,
        min_runtime=min_runtime,
        max_runtime=max_runtime,
        genres=genres,
        genre_mode=genre_mode,
        language=language,
        min_votes=min_votes,
        search=search,
        ordering=ordering or None,
    )


@router.get(
    "/api/movies/",
    response_model=Paginated[MovieOut],
    summary="List, filter and search movies",
    description=ListMovies.__doc__,
    responses=error_responses(404, 422),
)
async def list_movies(
    request: Request,
    catalogue: Catalogue,
    page: PageParams,
    query: Annotated[MovieQuery, Depends(movie_query)],
) -> dict[str, Any]:
    found = await catalogue.list_movies(query, page)
    base = image_base(request)
    return paginated(request, found, lambda summary: movie_out(summary, base))


@router.get(
    "/api/movies/recent/",
    response_model=list[MovieOut],
    summary="The latest releases",
    description=RecentMovies.__doc__,
)
async def recent_movies(request: Request, catalogue: Catalogue) -> list[MovieOut]:
    base = image_base(request)
    return [movie_out(item, base) for item in await catalogue.recent_movies()]


@router.get(
    "/api/movies/top_rated/",
    response_model=list[MovieOut],
    summary="The best rated movies",
    description=TopRatedMovies.__doc__,
)
async def top_rated_movies(request: Request, catalogue: Catalogue) -> list[MovieOut]:
    base = image_base(request)
    return [movie_out(item, base) for item in await catalogue.top_rated_movies()]


@router.get(
    "/api/movies/{movie_id:int}/",
    response_model=MovieDetailOut,
    summary="One movie",
    description=GetMovie.__doc__,
    responses=error_responses(401, 404, 422),
)
async def get_movie(
    request: Request, catalogue: Catalogue, user: OptionalUser, movie_id: MovieId
) -> MovieDetailOut:
    detail = await catalogue.get_movie(movie_id, user)
    return movie_detail_out(detail, image_base(request))


@genres_router.get(
    "/api/genres/",
    response_model=list[GenreOut],
    summary="Every genre",
    description=ListGenres.__doc__,
)
async def list_genres(catalogue: Catalogue) -> list[GenreOut]:
    return [GenreOut(id=g.id, name=g.name) for g in await catalogue.list_genres()]
