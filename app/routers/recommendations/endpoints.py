"""Recommendations, one movie's match score, similar movies and trending movies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import TypeAdapter

from app.domain.recommendations.recommend import ExplainMatch, RecommendMovies
from app.domain.recommendations.similar import SimilarMovies
from app.domain.recommendations.trending import TrendingMovies
from app.routers.catalogue.movies import MovieId, image_base
from app.routers.deps import CurrentUser, OptionalUser, Recommendations, Rendered
from app.routers.recommendations.schemas import (
    MatchScoreOut,
    RecommendedMovieOut,
    SimilarMovieOut,
    TrendingMovieOut,
    breakdown_out,
    movie_fields,
    rounded_average,
)
from app.web.errors import error_responses

router = APIRouter(tags=["movies"])

TRENDING_LIST = TypeAdapter(list[TrendingMovieOut])
RECOMMENDED_LIST = TypeAdapter(list[RecommendedMovieOut])

GenreFilter = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="A genre id.")]


@router.get(
    "/api/movies/recommendations/",
    response_model=list[RecommendedMovieOut],
    summary="Movies for you, with their match score",
    description=RecommendMovies.__doc__,
    responses=error_responses(401, 422, 503),
)
async def recommendations(
    request: Request,
    recommendations: Recommendations,
    rendered: Rendered,
    user: OptionalUser,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    genre: GenreFilter = None,
) -> Response:
    base = image_base(request)
    key = None
    if user is not None:  # the same list asked again costs no work (app/web/rendered_lists.py)
        key = (*await recommendations.recommend.version_of(user), limit, genre, base)
        body = rendered.get(key)
        if body is not None:
            return Response(body, media_type="application/json")
    found = await recommendations.recommend(user, limit, genre)
    catalogue = await recommendations.catalogue_facts()
    body = RECOMMENDED_LIST.dump_json(
        [
            RecommendedMovieOut(
                **movie_fields(item.movie, catalogue, base),  # type: ignore[arg-type]
                poster_path=item.movie.poster_path,
                vote_count=item.movie.votes.tmdb_vote_count,
                rating_average=rounded_average(item.movie),
                match_score=item.match.score,
                breakdown=breakdown_out(item.match),
                reasons=list(item.match.reasons),
                model_version=item.model_version,
            )
            for item in found
        ]
    )
    if key is not None:
        rendered.put(key, body)
    return Response(body, media_type="application/json")


@router.get(
    "/api/movies/{movie_id:int}/match_score/",
    response_model=MatchScoreOut,
    summary="How well one movie matches you",
    description=ExplainMatch.__doc__,
    responses=error_responses(401, 404, 422, 503),
)
async def match_score(
    recommendations: Recommendations, user: CurrentUser, movie_id: MovieId
) -> MatchScoreOut:
    item = await recommendations.explain_match(user, movie_id)
    return MatchScoreOut(
        movie_id=item.movie.movie_id,
        title=item.movie.title,
        match_score=item.match.score,
        breakdown=breakdown_out(item.match),
        reasons=list(item.match.reasons),
        model_version=item.model_version,
    )


@router.get(
    "/api/movies/{movie_id:int}/similar/",
    response_model=list[SimilarMovieOut],
    summary="Movies like this one",
    description=SimilarMovies.__doc__,
    responses=error_responses(404, 422, 503),
)
async def similar(
    request: Request,
    recommendations: Recommendations,
    movie_id: MovieId,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SimilarMovieOut]:
    found = await recommendations.similar(movie_id, limit)
    catalogue, base = await recommendations.catalogue_facts(), image_base(request)
    return [
        SimilarMovieOut(
            **movie_fields(item.movie, catalogue, base),  # type: ignore[arg-type]
            rating_average=rounded_average(item.movie),
            similarity=item.similarity,
            model_version=item.model_version,
        )
        for item in found
    ]


@router.get(
    "/api/movies/trending/",
    response_model=list[TrendingMovieOut],
    summary="What is hot now",
    description=TrendingMovies.__doc__,
    responses=error_responses(422, 503),
)
async def trending(
    request: Request,
    recommendations: Recommendations,
    window: Literal["day", "week"] = "week",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    genre: GenreFilter = None,
) -> Response:
    # Serialized once, without re-validation: the answer is then kept as bytes in the process
    # for a moment (app/web/response_cache.py), so a hot filter costs no work at all.
    found = await recommendations.trending(window, limit, genre, datetime.now(UTC))
    catalogue, base = await recommendations.catalogue_facts(), image_base(request)
    body = TRENDING_LIST.dump_json(
        [
            TrendingMovieOut(
                **movie_fields(item.movie, catalogue, base),  # type: ignore[arg-type]
                activity=item.activity,
                tmdb_rank=item.tmdb_rank,
                trending_score=item.score,
            )
            for item in found
        ]
    )
    return Response(body, media_type="application/json")
