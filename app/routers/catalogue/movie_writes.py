"""The catalogue, write side: staff only (the original let any signed-in user edit any movie)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.domain.catalogue.editing import CreateMovie, DeleteMovie, UpdateMovie
from app.domain.catalogue.movies import MovieData
from app.domain.catalogue.use_cases import CatalogueUseCases
from app.routers.catalogue.genre_input import with_genre_ids
from app.routers.catalogue.movies import MovieId, image_base
from app.routers.catalogue.schemas import (
    MovieDetailOut,
    MovieIn,
    MoviePatch,
    movie_detail_out,
    patch_changes,
)
from app.routers.deps import Catalogue, StaffUser
from app.web.errors import error_responses

router = APIRouter(tags=["movies"])

WRITE_ERRORS = error_responses(401, 403, 404, 409, 422)


async def movie_values(catalogue: CatalogueUseCases, body: MovieIn) -> dict[str, object]:
    values = body.model_dump()
    if "genre_ids" not in body.model_fields_set:
        values["genre_ids"] = None  # `genres` may name them instead
    values = await with_genre_ids(catalogue, values)
    values["genre_ids"] = values["genre_ids"] or ()
    return values


@router.post(
    "/api/movies/",
    status_code=201,
    response_model=MovieDetailOut,
    summary="Add a movie (staff)",
    description=CreateMovie.__doc__,
    responses=error_responses(401, 403, 409, 422),
)
async def create_movie(
    request: Request, catalogue: Catalogue, staff: StaffUser, body: MovieIn
) -> MovieDetailOut:
    values = await movie_values(catalogue, body)
    detail = await catalogue.create_movie(MovieData(**values))  # type: ignore[arg-type]
    return movie_detail_out(detail, image_base(request))


@router.put(
    "/api/movies/{movie_id:int}/",
    response_model=MovieDetailOut,
    summary="Replace a movie (staff)",
    description=UpdateMovie.__doc__,
    responses=WRITE_ERRORS,
)
async def replace_movie(
    request: Request, catalogue: Catalogue, staff: StaffUser, movie_id: MovieId, body: MovieIn
) -> MovieDetailOut:
    # Every field of the body; fields only importers set (movielens_id) stay as they are.
    changes = await movie_values(catalogue, body)
    detail = await catalogue.update_movie(movie_id, changes)
    return movie_detail_out(detail, image_base(request))


@router.patch(
    "/api/movies/{movie_id:int}/",
    response_model=MovieDetailOut,
    summary="Change some fields of a movie (staff)",
    description=UpdateMovie.__doc__,
    responses=WRITE_ERRORS,
)
async def patch_movie(
    request: Request, catalogue: Catalogue, staff: StaffUser, movie_id: MovieId, body: MoviePatch
) -> MovieDetailOut:
    changes = await with_genre_ids(catalogue, patch_changes(body))
    detail = await catalogue.update_movie(movie_id, changes)
    return movie_detail_out(detail, image_base(request))


@router.delete(
    "/api/movies/{movie_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Delete a movie (staff)",
    description=DeleteMovie.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_movie(catalogue: Catalogue, staff: StaffUser, movie_id: MovieId) -> Response:
    await catalogue.delete_movie(movie_id)
    return Response(status_code=204)
