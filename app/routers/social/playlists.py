"""Playlists: private, unlisted or public; written by their owner only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.domain.accounts.users import User
from app.domain.shared.services import Services
from app.domain.social import playlist_changes as cases
from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistQuery
from app.routers.catalogue.movies import MAX_ID
from app.routers.catalogue.schemas import NO_NUL
from app.routers.deps import CurrentUser, OptionalUser, ServicesDep
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


def image_base_url(request: Request) -> str:
    return str(request.app.state.settings.tmdb_image_base_url)


ImageBase = Annotated[str, Depends(image_base_url)]


@router.post(
    "/",
    status_code=201,
    response_model=PlaylistOut,
    summary="Create a playlist",
    description=cases.create_playlist.__doc__,
    responses=error_responses(401, 404, 409, 422),
)
async def create_playlist(
    body: PlaylistIn, user: CurrentUser, services: ServicesDep, images: ImageBase
) -> PlaylistOut:
    draft = PlaylistDraft(body.name, body.description, body.visibility)
    playlist = await cases.create_playlist(services.database, user, draft, body.movie_ids)
    return playlist_out(playlist, images)


@router.get(
    "/",
    response_model=Paginated[PlaylistOut],
    summary="List public playlists and your own",
    description=cases.list_playlists.__doc__,
    responses=error_responses(401, 404, 422),
)
async def list_playlists(
    request: Request,
    services: ServicesDep,
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
    found = await cases.list_playlists(services.database, query, page)
    return paginated(request, found, lambda playlist: playlist_out(playlist, images))


@router.get(
    "/my_playlists/",
    response_model=Paginated[PlaylistOut],
    summary="List your playlists",
    responses=error_responses(401, 404, 422),
)
async def my_playlists(
    request: Request,
    services: ServicesDep,
    user: CurrentUser,
    page: PageParams,
    images: ImageBase,
    ordering: Annotated[Ordering, Query()] = "-created_at",
) -> dict[str, Any]:
    query = PlaylistQuery(viewer_id=user.id, mine_only=True, ordering=ordering)
    found = await cases.list_playlists(services.database, query, page)
    return paginated(request, found, lambda playlist: playlist_out(playlist, images))


@router.get(
    "/shared/{slug}/",
    response_model=PlaylistOut,
    summary="Open a playlist by its share slug",
    description=cases.get_shared_playlist.__doc__,
    responses=error_responses(401, 404, 422),
)
async def shared_playlist(
    slug: Annotated[str, Path(max_length=64, pattern=NO_NUL)],
    services: ServicesDep,
    user: OptionalUser,
    images: ImageBase,
) -> PlaylistOut:
    return playlist_out(await cases.get_shared_playlist(services.database, user, slug), images)


@router.get(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="One playlist with its movies in order",
    description=cases.get_playlist.__doc__,
    responses=error_responses(401, 404, 422),
)
async def get_playlist(
    playlist_id: PlaylistId, services: ServicesDep, user: OptionalUser, images: ImageBase
) -> PlaylistOut:
    return playlist_out(await cases.get_playlist(services.database, user, playlist_id), images)


@router.put(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="Replace your playlist",
    description=cases.update_playlist.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def replace_playlist(
    playlist_id: PlaylistId,
    body: PlaylistReplace,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    return await _update(services, user, playlist_id, body, images)


@router.patch(
    "/{playlist_id:int}/",
    response_model=PlaylistOut,
    summary="Change your playlist",
    description=cases.update_playlist.__doc__,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def patch_playlist(
    playlist_id: PlaylistId,
    body: PlaylistPatch,
    user: CurrentUser,
    services: ServicesDep,
    images: ImageBase,
) -> PlaylistOut:
    return await _update(services, user, playlist_id, body, images)


@router.delete(
    "/{playlist_id:int}/",
    status_code=204,
    response_class=Response,
    summary="Delete your playlist",
    description=cases.delete_playlist.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_playlist(
    playlist_id: PlaylistId, user: CurrentUser, services: ServicesDep
) -> Response:
    await cases.delete_playlist(services.database, user, playlist_id)
    return Response(status_code=204)


async def _update(
    services: Services,
    user: User,
    playlist_id: int,
    body: PlaylistReplace | PlaylistPatch,
    images: str,
) -> PlaylistOut:
    changes = cases.PlaylistChanges(
        name=body.name,
        description=body.description,
        visibility=body.visibility,
        movie_ids=body.movie_ids,
    )
    playlist: Playlist = await cases.update_playlist(services.database, user, playlist_id, changes)
    return playlist_out(playlist, images)
