"""Ratings in PostgreSQL, read with their author's name and the movie's title in one join."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.tables import movies, ratings, users
from app.domain.accounts.usernames import canonical_username
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.ratings import NewRating, Rating, RatingQuery

_ORDER_COLUMNS = {"created_at": ratings.c.created_at, "score": ratings.c.score}


def rating_select(rows: Any = ratings) -> Select[Any]:
    """Ratings (the table's, or `rows` with its columns) with their author's name and the
    movie's title and poster."""
    return select(
        rows,
        users.c.username,
        movies.c.title.label("movie_title"),
        movies.c.poster_path.label("movie_poster_path"),
    ).select_from(
        rows.join(users, users.c.id == rows.c.user_id).join(movies, movies.c.id == rows.c.movie_id)
    )


def rating_from_row(row: Any) -> Rating:
    return Rating(
        id=row.id,
        user_id=row.user_id,
        username=row.username,
        movie_id=row.movie_id,
        movie_title=row.movie_title,
        score=row.score,
        review=row.review,
        created_at=row.created_at,
        updated_at=row.updated_at,
        movie_poster_path=row.movie_poster_path,
    )


def _insert_returning_listed() -> Select[Any]:
    """A new rating, read back joined as `rating_select` reads it, in one statement. Built once
    (its values are bound parameters): a rating write pays no statement building."""
    inserted = (
        insert(ratings)
        .values(
            user_id=bindparam("user_id"),
            movie_id=bindparam("movie_id"),
            score=bindparam("score"),
            review=bindparam("review"),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "movie_id"])
        .returning(ratings)
        .cte("inserted")
    )
    return rating_select(inserted)


INSERT_RETURNING_LISTED = _insert_returning_listed()
# Relative updates: concurrent ratings of one movie serialise on the row, none is lost. The
# totals come back from the same statement, so the write needs no second read; so does the
# rater's taste version, which the rating's statement trigger bumped before this statement.
RATER_TASTE_VERSION = (
    select(users.c.taste_version).where(users.c.id == bindparam("rater_id")).scalar_subquery()
)
ADJUST_AGGREGATES = (
    update(movies)
    .where(movies.c.id == bindparam("movie_id"))
    .values(
        ratings_count=movies.c.ratings_count + bindparam("count"),
        ratings_sum=movies.c.ratings_sum + bindparam("score_sum"),
    )
    .returning(movies.c.ratings_count, movies.c.rating_average, RATER_TASTE_VERSION)
)


class PostgresRatingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, rating: NewRating) -> Rating | None:
        # ON CONFLICT DO NOTHING keeps the transaction usable when the rating already exists,
        # so the use case can still name the existing one; an unknown movie fails the FK.
        values = {
            "user_id": rating.user_id,
            "movie_id": rating.movie_id,
            "score": rating.score,
            "review": rating.review,
        }
        with translate_integrity_errors():
            row = (await self._connection.execute(INSERT_RETURNING_LISTED, values)).first()
        return None if row is None else rating_from_row(row)

    async def id_for(self, user_id: int, movie_id: int) -> int | None:
        query = select(ratings.c.id).where(
            ratings.c.user_id == user_id, ratings.c.movie_id == movie_id
        )
        result: int | None = (await self._connection.execute(query)).scalar_one_or_none()
        return result

    async def movie_exists(self, movie_id: int) -> bool:
        query = select(movies.c.id).where(movies.c.id == movie_id)
        return (await self._connection.execute(query)).first() is not None

    async def get(self, rating_id: int, *, for_update: bool = False) -> Rating | None:
        query = rating_select().where(ratings.c.id == rating_id)
        if for_update:
            query = query.with_for_update(of=ratings)
        row = (await self._connection.execute(query)).first()
        return rating_from_row(row) if row else None

    async def update(self, rating_id: int, score: int, review: str | None) -> Rating:
        await self._connection.execute(
            update(ratings)
            .where(ratings.c.id == rating_id)
            .values(score=score, review=review, updated_at=func.now())
        )
        rating = await self.get(rating_id)
        assert rating is not None  # locked by the caller's transaction
        return rating

    async def delete(self, rating_id: int) -> None:
        await self._connection.execute(ratings.delete().where(ratings.c.id == rating_id))

    async def adjust_movie_aggregates(
        self, movie_id: int, count: int, score_sum: int, rater_id: int
    ) -> tuple[int, float | None, int]:
        values = {
            "movie_id": movie_id,
            "count": count,
            "score_sum": score_sum,
            "rater_id": rater_id,
        }
        result = await self._connection.execute(ADJUST_AGGREGATES, values)
        ratings_count, rating_average, taste_version = result.one()
        return int(ratings_count), rating_average, int(taste_version)

    async def find(self, query: RatingQuery, page: PageRequest) -> Page[Rating]:
        conditions = []
        if query.movie_id is not None:
            conditions.append(ratings.c.movie_id == query.movie_id)
        if query.score is not None:
            conditions.append(ratings.c.score == query.score)
        if query.username is not None:
            conditions.append(users.c.username_canonical == canonical_username(query.username))
        column = _ORDER_COLUMNS[query.ordering.lstrip("-")]
        order = column.desc() if query.ordering.startswith("-") else column.asc()
        rows = await self._connection.execute(
            rating_select()
            .where(*conditions)
            .order_by(order, ratings.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        count_query = (
            select(func.count())
            .select_from(ratings.join(users, users.c.id == ratings.c.user_id))
            .where(*conditions)
        )
        count = (await self._connection.execute(count_query)).scalar_one()
        return Page(items=[rating_from_row(row) for row in rows], count=count, request=page)
