"""A playlist's movies: add (at a position), remove, reorder. Owner only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.domain.social import playlist_changes as cases
from app.routers.catalogue.movies import MAX_ID
from app.routers.deps import CurrentUser, ServicesDep
from app.routers.social.playlist_schemas import (
    MovieIdIn,
    MovieOrderIn,
    PlaylistMovieIn,
    PlaylistOut,
    playlist_out,
)
from app.routers.social.playlists import ImageBase, PlaylistId
from app.web.errors import error_responses

router = APIRouter(prefix="/api/playlists", tags=["playlists"])


@router.post(
    "/{playlist_id:int}/add_movie/",
    response_model=PlaylistOut,
    summary="Add a movie at the end (original action)",
    description=cases.add_movie.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def add_movie_action(
    playlist_id: PlaylistId,
    body: MovieIdIn,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await cases.add_movie(services.database, user, playlist_id, body.movie_id, None)
    return playlist_out(playlist, images)


@router.post(
    "/{playlist_id:int}/remove_movie/",
    response_model=PlaylistOut,
    summary="Remove a movie (original action)",
    description=cases.remove_movie.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def remove_movie_action(
    playlist_id: PlaylistId,
    body: MovieIdIn,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await cases.remove_movie(services.database, user, playlist_id, body.movie_id)
    return playlist_out(playlist, images)


@router.post(
    "/{playlist_id:int}/movies/",
    status_code=201,
    response_model=PlaylistOut,
    summary="Add a movie, optionally at a position",
    description=cases.add_movie.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def add_movie(
    playlist_id: PlaylistId,
    body: PlaylistMovieIn,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await cases.add_movie(
        services.database, user, playlist_id, body.movie_id, body.position
    )
    return playlist_out(playlist, images)


@router.delete(
    "/{playlist_id:int}/movies/{movie_id:int}/",
    response_model=PlaylistOut,
    summary="Remove a movie",
    description=f"{cases.remove_movie.__doc__} Answers the playlist, as adding does.",
    responses=error_responses(401, 403, 404, 422),
)
async def remove_movie(
    playlist_id: PlaylistId,
    movie_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await cases.remove_movie(services.database, user, playlist_id, movie_id)
    return playlist_out(playlist, images)


@router.put(
    "/{playlist_id:int}/movies/order/",
    response_model=PlaylistOut,
    summary="Reorder the movies",
    description=cases.reorder_movies.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def reorder_movies(
    playlist_id: PlaylistId,
    body: MovieOrderIn,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await cases.reorder_movies(services.database, user, playlist_id, body.movie_ids)
    return playlist_out(playlist, images)
