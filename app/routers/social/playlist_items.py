"""A playlist's movies: add (at a position), remove, reorder. Owner only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.domain.social.playlist_movies import (
    AddPlaylistMovie,
    RemovePlaylistMovie,
    ReorderPlaylistMovies,
)
from app.routers.catalogue.movies import MAX_ID
from app.routers.deps import CurrentUser, Social
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

# OpenAPI links: the movie a call added is the one to remove (a link filling the playlist id only
# would remove some other movie, rightly a 404 "not in the playlist").
REMOVE_THE_ADDED_MOVIE = {
    "RemoveTheAddedMovie": {
        "operationRef": "#/paths/~1api~1playlists~1{playlist_id}~1movies~1{movie_id}~1/delete",
        "parameters": {
            "playlist_id": "$request.path.playlist_id",
            "movie_id": "$request.body#/movie_id",
        },
    },
    "RemoveTheAddedMovieByAction": {
        "operationRef": "#/paths/~1api~1playlists~1{playlist_id}~1remove_movie~1/post",
        "parameters": {"playlist_id": "$request.path.playlist_id"},
        "requestBody": {"movie_id": "$request.body#/movie_id"},
    },
}


@router.post(
    "/{playlist_id:int}/add_movie/",
    response_model=PlaylistOut,
    summary="Add a movie at the end (original action)",
    description=AddPlaylistMovie.__doc__,
    responses={200: {"links": REMOVE_THE_ADDED_MOVIE}, **error_responses(401, 403, 404, 409, 422)},
)
async def add_movie_action(
    playlist_id: PlaylistId,
    body: MovieIdIn,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await social.add_playlist_movie(user, playlist_id, body.movie_id, None)
    return playlist_out(playlist, images, user)


@router.post(
    "/{playlist_id:int}/remove_movie/",
    response_model=PlaylistOut,
    summary="Remove a movie (original action)",
    description=RemovePlaylistMovie.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def remove_movie_action(
    playlist_id: PlaylistId,
    body: MovieIdIn,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await social.remove_playlist_movie(user, playlist_id, body.movie_id)
    return playlist_out(playlist, images, user)


@router.post(
    "/{playlist_id:int}/movies/",
    status_code=201,
    response_model=PlaylistOut,
    summary="Add a movie, optionally at a position",
    description=AddPlaylistMovie.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def add_movie(
    playlist_id: PlaylistId,
    body: PlaylistMovieIn,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await social.add_playlist_movie(user, playlist_id, body.movie_id, body.position)
    return playlist_out(playlist, images, user)


@router.delete(
    "/{playlist_id:int}/movies/{movie_id:int}/",
    response_model=PlaylistOut,
    summary="Remove a movie",
    description=f"{RemovePlaylistMovie.__doc__} Answers the playlist, as adding does.",
    responses=error_responses(401, 403, 404, 422),
)
async def remove_movie(
    playlist_id: PlaylistId,
    movie_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await social.remove_playlist_movie(user, playlist_id, movie_id)
    return playlist_out(playlist, images, user)


@router.put(
    "/{playlist_id:int}/movies/order/",
    response_model=PlaylistOut,
    summary="Reorder the movies",
    description=ReorderPlaylistMovies.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def reorder_movies(
    playlist_id: PlaylistId,
    body: MovieOrderIn,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    playlist = await social.reorder_playlist_movies(user, playlist_id, body.movie_ids)
    return playlist_out(playlist, images, user)
