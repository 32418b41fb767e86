"""Playlists: private, unlisted or public; written by their owner only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.domain.accounts.users import User
from app.domain.social.playlist_changes import (
    CreatePlaylist,
    DeletePlaylist,
    GetPlaylist,
    GetSharedPlaylist,
    ListPlaylists,
    PlaylistChanges,
    UpdatePlaylist,
)
from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistQuery
from app.domain.social.use_cases import SocialUseCases
from app.routers.catalogue.movies import MAX_ID
from app.routers.catalogue.schemas import NO_NUL
from app.routers.deps import CurrentUser, OptionalUser, Social
from app.routers.social.playlist_schemas import (
    Ordering,
    PlaylistIn,
    PlaylistOut,
    PlaylistPatch,
    PlaylistReplace,
    Visibility,
    playlist_out,
)
from app.web.errors import error_responses
from app.web.pagination import PageParams, Paginated, paginated

router = APIRouter(prefix="/api/playlists", tags=["playlists"])

PlaylistId = Annotated[int, Path(ge=1, le=MAX_ID, description="The playlist's id.")]


async def image_base_url(request: Request) -> str:
    image_base_url: str = request.app.state.image_base_url
    return image_base_url


ImageBase = Annotated[str, Depends(image_base_url)]

# OpenAPI links from a new playlist to the calls on its movies: the movie they name is one the
# catalogue holds (the new playlist's first). A link giving the playlist alone leaves the movie to
# chance, and a movie the catalogue or the playlist lacks is a 404 about the movie, which reads as
# "the playlist just created is gone".
_ITEM_CALLS = {
    "RemoveItsFirstMovie": "remove_movie",
    "AddItsFirstMovieAgain": "add_movie",
}
PLAYLIST_LINKS = {
    name: {
        "operationRef": f"#/paths/~1api~1playlists~1{{playlist_id}}~1{action}~1/post",
        "parameters": {"playlist_id": "$response.body#/id"},
        "requestBody": {"movie_id": "$response.body#/movies/0/id"},
    }
    for name, action in _ITEM_CALLS.items()
} | {
    "AddItsFirstMovieAt": {
        "operationRef": "#/paths/~1api~1playlists~1{playlist_id}~1movies~1/post",
        "parameters": {"playlist_id": "$response.body#/id"},
        "requestBody": {"movie_id": "$response.body#/movies/0/id", "position": 0},
    }
}


@router.post(
    "/",
    status_code=201,
    response_model=PlaylistOut,
    summary="Create a playlist",
    description=CreatePlaylist.__doc__,
    responses={201: {"links": PLAYLIST_LINKS}, **error_responses(401, 404, 409, 422)},
)
async def create_playlist(
    body: PlaylistIn, user: CurrentUser, social: Social, images: ImageBase
) -> PlaylistOut:
    draft = PlaylistDraft(body.name, body.description, body.visibility)
    playlist = await social.create_playlist(user, draft, body.movie_ids)
    return playlist_out(playlist, images, user)


@router.get(
    "/",
    response_model=Paginated[PlaylistOut],
    summary="List public playlists and your own",
    description=ListPlaylists.__doc__,
    responses=error_responses(401, 404, 422),
)
async def list_playlists(
    request: Request,
    social: Social,
    user: OptionalUser,
    page: PageParams,
    images: ImageBase,
    visibility: Annotated[Visibility | None, Query()] = None,
    owner: Annotated[
        str | None, Query(max_length=150, pattern=NO_NUL, description="A username or a user id.")
    ] = None,
    search: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    ordering: Annotated[Ordering, Query()] = "-created_at",
) -> dict[str, Any]:
    query = PlaylistQuery(
        viewer_id=user.id if user else None,
        visibility=visibility,
        owner=owner,
        search=search,
        ordering=ordering,
    )
    found = await social.list_playlists(query, page)
    return paginated(request, found, lambda playlist: playlist_out(playlist, images, user))


@router.get(
    "/my_playlists/",
    response_model=Paginated[PlaylistOut],
    summary="List your playlists",
    responses=error_responses(401, 404, 422),
)
async def my_playlists(
    request: Request,
    social: Social,
    user: CurrentUser,
    page: PageParams,
    images: ImageBase,
    ordering: Annotated[Ordering, Query()] = "-created_at",
) -> dict[str, Any]:
    query = PlaylistQuery(viewer_id=user.id, mine_only=True, ordering=ordering)
    found = await social.list_playlists(query, page)
    return paginated(request, found, lambda playlist: playlist_out(playlist, images, user))


@router.get(
    "/shared/{slug}/",
    response_model=PlaylistOut,
    summary="Open a playlist by its share slug",
    description=GetSharedPlaylist.__doc__,
    responses=error_responses(401, 404, 422),
)
async def shared_playlist(
    slug: Annotated[str, Path(max_length=64, pattern=NO_NUL)],
    social: Social,
    user: OptionalUser,
    images: ImageBase,
) -> PlaylistOut:
    return playlist_out(await social.get_shared_playlist(user, slug), images, user)


@router.get(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="One playlist with its movies in order",
    description=GetPlaylist.__doc__,
    responses=error_responses(401, 404, 422),
)
async def get_playlist(
    playlist_id: PlaylistId, social: Social, user: OptionalUser, images: ImageBase
) -> PlaylistOut:
    return playlist_out(await social.get_playlist(user, playlist_id), images, user)


@router.put(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="Replace your playlist",
    description=UpdatePlaylist.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def replace_playlist(
    playlist_id: PlaylistId,
    body: PlaylistReplace,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    return await _update(social, user, playlist_id, body, images)


@router.patch(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="Change your playlist",
    description=UpdatePlaylist.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def patch_playlist(
    playlist_id: PlaylistId,
    body: PlaylistPatch,
    user: CurrentUser,
    social: Social,
    images: ImageBase,
) -> PlaylistOut:
    return await _update(social, user, playlist_id, body, images)


@router.delete(
    "/{playlist_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Delete your playlist",
    description=DeletePlaylist.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_playlist(playlist_id: PlaylistId, user: CurrentUser, social: Social) -> Response:
    await social.delete_playlist(user, playlist_id)
    return Response(status_code=204)


async def _update(
    social: SocialUseCases,
    user: User,
    playlist_id: int,
    body: PlaylistReplace | PlaylistPatch,
    images: str,
) -> PlaylistOut:
    changes = PlaylistChanges(
        name=body.name,
        description=body.description,
        visibility=body.visibility,
        movie_ids=body.movie_ids,
    )
    playlist: Playlist = await social.update_playlist(user, playlist_id, changes)
    return playlist_out(playlist, images, user)
