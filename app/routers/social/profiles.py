"""Your profile and statistics, and other users' public profiles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from app.domain.social.profiles import (
    GetPublicProfile,
    ListPublicProfiles,
    PublicProfile,
    UpdateProfile,
)
from app.domain.social.stats import GetUserStats
from app.routers.catalogue.schemas import NO_NUL
from app.routers.deps import Catalogue, CurrentUser, Social
from app.routers.social.profile_schemas import (
    ProfileIn,
    ProfileOut,
    PublicPlaylistOut,
    PublicProfileOut,
    StatsOut,
    profile_out,
    stats_out,
)
from app.web.errors import error_responses
from app.web.pagination import PageParams, Paginated, paginated

router = APIRouter(prefix="/api/profiles", tags=["profiles"])


@router.get(
    "/",
    response_model=Paginated[PublicProfileOut],
    summary="List profiles",
    description=ListPublicProfiles.__doc__,
    responses=error_responses(404, 422),
)
async def list_profiles(request: Request, social: Social, page: PageParams) -> dict[str, Any]:
    found = await social.list_public_profiles(page)
    return paginated(request, found, public_profile_out)


@router.get(
    "/me/", response_model=ProfileOut, summary="Your profile", responses=error_responses(401)
)
async def my_profile(user: CurrentUser, catalogue: Catalogue) -> ProfileOut:
    return profile_out(user, await catalogue.name_genres(user.favorite_genres))


@router.put(
    "/me/",
    response_model=ProfileOut,
    summary="Update your profile",
    description=UpdateProfile.__doc__,
    responses=error_responses(401, 422),
)
async def replace_profile(
    body: ProfileIn, user: CurrentUser, social: Social, catalogue: Catalogue
) -> ProfileOut:
    return await _update(body, user, social, catalogue)


@router.patch(
    "/me/",
    response_model=ProfileOut,
    summary="Change some fields of your profile",
    description=UpdateProfile.__doc__,
    responses=error_responses(401, 422),
)
async def patch_profile(
    body: ProfileIn, user: CurrentUser, social: Social, catalogue: Catalogue
) -> ProfileOut:
    return await _update(body, user, social, catalogue)


@router.get(
    "/stats/",
    response_model=StatsOut,
    summary="Your statistics",
    description=GetUserStats.__doc__,
    responses=error_responses(401),
)
async def my_stats(user: CurrentUser, social: Social) -> StatsOut:
    return stats_out(await social.get_user_stats(user))


@router.get(
    "/{username}/",
    response_model=PublicProfileOut,
    summary="A user's public profile",
    description=GetPublicProfile.__doc__,
    responses=error_responses(404, 422),
)
async def public_profile(
    username: Annotated[str, Path(min_length=1, max_length=150, pattern=NO_NUL)],
    social: Social,
) -> PublicProfileOut:
    return public_profile_out(await social.get_public_profile(username))


def public_profile_out(profile: PublicProfile) -> PublicProfileOut:
    return PublicProfileOut(
        username=profile.username,
        date_joined=profile.date_joined,
        ratings_count=profile.ratings_count,
        reviews_count=profile.reviews_count,
        public_playlists_count=profile.public_playlists_count,
        public_playlists=[
            PublicPlaylistOut(
                id=playlist.id,
                name=playlist.name,
                description=playlist.description,
                slug=playlist.slug,
                movie_count=playlist.movie_count,
                created_at=playlist.created_at,
            )
            for playlist in profile.public_playlists
        ],
    )


async def _update(
    body: ProfileIn, user: CurrentUser, social: Social, catalogue: Catalogue
) -> ProfileOut:
    sent = body.model_dump(include=body.model_fields_set)
    if sent.get("favorite_genres") is not None:
        sent["favorite_genres"] = await catalogue.resolve_genres(
            sent["favorite_genres"], "favorite_genres"
        )
    updated = await social.update_profile(user, sent)
    return profile_out(updated, await catalogue.name_genres(updated.favorite_genres))
