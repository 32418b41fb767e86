"""`/api/tmdb/`: live search of The Movie Database, and importing a film from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from app.domain.tmdb.lookup import ImportFromTmdb, SearchTmdb
from app.domain.tmdb.ports import TmdbNotConfigured
from app.domain.tmdb.use_cases import TmdbUseCases
from app.routers.deps import CurrentUser, OptionalUser, Tmdb
from app.routers.tmdb.schemas import TmdbImportIn, TmdbImportOut, TmdbMovieOut, TmdbSearchOut
from app.web.errors import error_responses
from app.web.rate_limit import RateLimit

router = APIRouter(prefix="/api/tmdb", tags=["tmdb"])


def _configured(tmdb: TmdbUseCases | None) -> TmdbUseCases:
    if tmdb is None:
        raise TmdbNotConfigured("TMDb is not configured.")
    return tmdb


def _image_base(request: Request) -> str:
    image_base_url: str = request.app.state.image_base_url
    return image_base_url


# `q` or its alias `query` must name something: OpenAPI cannot say "one of two parameters", so
# the document states `q` as required (the original API's name) and `query` stays an alias.
SEARCH_TERM_PARAMETER = {
    "name": "q",
    "in": "query",
    "required": True,
    "description": "Title to search for, not blank (`query` is accepted as an alias).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"},
}


@router.get(
    "/search/",
    response_model=TmdbSearchOut,
    summary="Search TMDb live",
    description=SearchTmdb.__doc__,
    dependencies=[Depends(RateLimit("tmdb_search"))],
    responses={
        200: {
            "headers": {
                "X-Cache": {
                    "description": "`STALE` when TMDb failed and an older copy is served",
                    "schema": {"type": "string"},
                }
            }
        },
        **error_responses(401, 422, 429, 502, 503, 504),
    },
    openapi_extra={"parameters": [SEARCH_TERM_PARAMETER]},
)
async def search_tmdb(
    request: Request,
    response: Response,
    tmdb: Tmdb,
    user: OptionalUser,
    # Documented by hand (SEARCH_TERM_PARAMETER): one of the two is required.
    q: Annotated[str | None, Query(min_length=1, max_length=200, include_in_schema=False)] = None,
    query: Annotated[
        str | None, Query(min_length=1, max_length=200, include_in_schema=False)
    ] = None,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
    year: Annotated[int | None, Query(ge=1870, le=2200)] = None,
    include_adult: bool = False,
) -> TmdbSearchOut:
    search = _configured(tmdb).search
    found = await search(q or query or "", page=page, year=year, include_adult=include_adult)
    if found.stale:
        response.headers["X-Cache"] = "STALE"
    image_base = _image_base(request)
    return TmdbSearchOut(
        page=found.page,
        total_pages=found.total_pages,
        total_results=found.total_results,
        results=[TmdbMovieOut.of(item, image_base) for item in found.results],
    )


@router.post(
    "/import/",
    response_model=TmdbImportOut,
    status_code=201,
    summary="Import a film from TMDb",
    description=ImportFromTmdb.__doc__,
    responses={
        200: {"model": TmdbImportOut, "description": "Already in the catalogue"},
        201: {"description": "Imported"},
        **error_responses(401, 404, 422, 502, 503, 504),
    },
)
async def import_from_tmdb(
    body: TmdbImportIn,
    request: Request,
    response: Response,
    tmdb: Tmdb,
    user: CurrentUser,
) -> TmdbImportOut:
    imported = await _configured(tmdb).import_movie(body.tmdb_id)
    if not imported.created:
        response.status_code = 200
    movie = TmdbMovieOut.of(imported.found, _image_base(request))
    return TmdbImportOut.of_import(movie, imported.created)
