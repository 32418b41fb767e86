"""Ratings and reviews: public to read, written by their author only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from app.domain.accounts.users import User
from app.domain.social.rating_changes import (
    DeleteRating,
    GetRating,
    ListMovieRatings,
    ListRatings,
    RateMovie,
    RatingChanges,
    UpdateRating,
)
from app.domain.social.rating_totals import RatingWritten
from app.domain.social.ratings import MAX_REVIEW_LENGTH, Rating, RatingQuery
from app.domain.social.use_cases import SocialUseCases
from app.routers.catalogue.movies import MAX_ID, image_base
from app.routers.catalogue.schemas import NO_NUL, POSTER_SIZE, image_url
from app.routers.deps import CurrentUser, OptionalUser, Social
from app.routers.social.playlist_schemas import MAX_BODY_ID
from app.routers.social.rating_schemas import (
    RatingChangeOut,
    RatingDeletedOut,
    RatingOut,
    rating_out,
)
from app.web.errors import error_responses
from app.web.pagination import PageParams, Paginated, paginated
from app.web.request_bodies import INTEGRAL_FLOAT_AS_INT, STRICT_CLOSED_BODY, JsonInt

log = logging.getLogger(__name__)
router = APIRouter(tags=["ratings"])

MovieRef = Annotated[int, Field(ge=1, le=MAX_BODY_ID), INTEGRAL_FLOAT_AS_INT]
Score = Annotated[int, Field(ge=1, le=5, description="Stars, 1 to 5."), INTEGRAL_FLOAT_AS_INT]
Review = Annotated[
    str | None, Field(max_length=MAX_REVIEW_LENGTH, pattern=NO_NUL, description="Stripped.")
]
RatingId = Annotated[int, Path(ge=1, le=MAX_ID, description="The rating's id.")]
Ordering = Literal["created_at", "-created_at", "score", "-score"]


class RatingIn(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie: JsonInt = Field(ge=1, le=MAX_BODY_ID, description="The movie's id.")
    score: Score
    review: Review = None


class RatingReplace(BaseModel):
    """As on the original API, a field left out keeps its value; `review: null` clears it."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie: MovieRef | None = Field(None, description="Must be the rating's movie if sent.")
    score: Score
    review: Review = None


class RatingPatch(BaseModel):
    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    movie: MovieRef | None = Field(None, description="Must be the rating's movie if sent.")
    score: Score | None = None
    review: Review = None


@router.post(
    "/api/ratings/",
    status_code=201,
    response_model=RatingChangeOut,
    summary="Rate a movie",
    description=RateMovie.__doc__,
    responses=error_responses(401, 404, 409, 422),
)
async def create_rating(body: RatingIn, user: CurrentUser, social: Social) -> RatingChangeOut:
    return _with_totals(await social.rate_movie(user, body.movie, body.score, body.review))


def _with_totals(written: RatingWritten) -> RatingChangeOut:
    return RatingChangeOut(
        **rating_out(written.rating).model_dump(),
        movie_rating_average=written.movie_totals.rating_average,
        movie_ratings_count=written.movie_totals.ratings_count,
    )


@router.get(
    "/api/ratings/",
    response_model=Paginated[RatingOut],
    summary="List ratings and reviews",
    description=ListRatings.__doc__,
    responses=error_responses(401, 404, 422),
)
async def list_ratings(
    request: Request,
    social: Social,
    caller: OptionalUser,
    page: PageParams,
    score: Annotated[int | None, Query(ge=1, le=5)] = None,
    user: Annotated[
        str | None,
        Query(max_length=150, pattern=NO_NUL, description="A username or a user id, or `me`."),
    ] = None,
    ordering: Annotated[Ordering, Query()] = "-created_at",
    movie: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    query = RatingQuery(movie_id=movie, score=score, username=user, ordering=ordering)
    found = await social.list_ratings(caller, query, page)
    return paginated(request, found, listed_rating(request))


@router.get(
    "/api/movies/{movie_id:int}/ratings/",
    response_model=Paginated[RatingOut],
    summary="List one movie's ratings and reviews",
    description=ListMovieRatings.__doc__,
    responses=error_responses(401, 404, 422),
)
async def list_movie_ratings(
    request: Request,
    social: Social,
    caller: OptionalUser,
    page: PageParams,
    movie_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    score: Annotated[int | None, Query(ge=1, le=5)] = None,
    user: Annotated[
        str | None,
        Query(max_length=150, pattern=NO_NUL, description="A username or a user id, or `me`."),
    ] = None,
    ordering: Annotated[Ordering, Query()] = "-created_at",
) -> dict[str, Any]:
    query = RatingQuery(score=score, username=user, ordering=ordering)
    found = await social.list_movie_ratings(caller, movie_id, query, page)
    return paginated(request, found, listed_rating(request))


@router.get(
    "/api/ratings/{rating_id:int}/",
    response_model=RatingOut,
    summary="One rating",
    description=GetRating.__doc__,
    responses=error_responses(404, 422),
)
async def get_rating(rating_id: RatingId, social: Social) -> RatingOut:
    return rating_out(await social.get_rating(rating_id))


async def _update(
    rating_id: int, body: RatingReplace | RatingPatch, user: User, social: SocialUseCases
) -> RatingChangeOut:
    changes = RatingChanges(
        score=body.score,
        review=body.review,
        review_sent="review" in body.model_fields_set,
        movie_id=body.movie,
    )
    return _with_totals(await social.update_rating(user, rating_id, changes))


@router.put(
    "/api/ratings/{rating_id:int}/",
    response_model=RatingChangeOut,
    summary="Replace your rating",
    description=UpdateRating.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def replace_rating(
    rating_id: RatingId, body: RatingReplace, user: CurrentUser, social: Social
) -> RatingChangeOut:
    return await _update(rating_id, body, user, social)


@router.patch(
    "/api/ratings/{rating_id:int}/",
    response_model=RatingChangeOut,
    summary="Change your rating",
    description=UpdateRating.__doc__,
    responses=error_responses(401, 403, 404, 422),
)
async def patch_rating(
    rating_id: RatingId, body: RatingPatch, user: CurrentUser, social: Social
) -> RatingChangeOut:
    return await _update(rating_id, body, user, social)


@router.delete(
    "/api/ratings/{rating_id:int}/",
    response_model=RatingDeletedOut,
    summary="Delete your rating",
    description=f"{DeleteRating.__doc__} Answers the movie's totals without it.",
    responses=error_responses(401, 403, 404, 422),
)
async def delete_rating(rating_id: RatingId, user: CurrentUser, social: Social) -> RatingDeletedOut:
    deleted = await social.delete_rating(user, rating_id)
    return RatingDeletedOut(
        id=deleted.rating.id,
        movie=deleted.rating.movie_id,
        movie_rating_average=deleted.movie_totals.rating_average,
        movie_ratings_count=deleted.movie_totals.ratings_count,
    )


def listed_rating(request: Request) -> Callable[[Rating], RatingOut]:
    """A rating as lists show it: with its movie's poster."""
    base = image_base(request)

    def out(rating: Rating) -> RatingOut:
        return rating_out(rating, image_url(base, POSTER_SIZE, rating.movie_poster_path))

    return out
