"""`GET /api/profiles/me/page/`: what a profile page shows, in one request instead of four
(`/api/auth/me/`, `/api/profiles/me/`, `/api/profiles/stats/`, `/api/profiles/{username}/`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.routers.accounts.schemas import PublicUser
from app.routers.deps import Catalogue, CurrentUser, Social
from app.routers.social.profile_schemas import (
    ProfileOut,
    PublicProfileOut,
    StatsOut,
    profile_out,
    stats_out,
)
from app.routers.social.profiles import public_profile_out
from app.web.errors import error_responses

router = APIRouter(prefix="/api/profiles", tags=["profiles"])


class ProfilePageOut(BaseModel):
    """Each part as its own endpoint answers it; the join instant is `date_joined` in each."""

    account: PublicUser
    profile: ProfileOut
    stats: StatsOut
    public: PublicProfileOut


@router.get(
    "/me/page/",
    response_model=ProfilePageOut,
    summary="Your profile page in one request",
    responses=error_responses(401),
)
async def my_profile_page(
    user: CurrentUser, social: Social, catalogue: Catalogue
) -> ProfilePageOut:
    genres = await catalogue.name_genres(user.favorite_genres)
    stats = await social.get_user_stats(user)
    public = await social.get_public_profile(user.username)
    return ProfilePageOut(
        account=PublicUser.of(user),
        profile=profile_out(user, genres),
        stats=stats_out(stats),
        public=public_profile_out(public),
    )
