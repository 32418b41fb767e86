"""Profile fields on the users row, and the counts of a public profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.tables import genres, playlists, ratings, users
from app.adapters.postgres.users import user_from_row
from app.domain.accounts.usernames import canonical_username
from app.domain.accounts.users import User
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.profiles import ProfileChanges, PublicProfile

_IDS = bindparam("ids", type_=ARRAY(Integer))


class PostgresProfileRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def locked_user(self, user_id: int) -> User:
        statement = select(users).where(users.c.id == user_id).with_for_update()
        return user_from_row((await self._connection.execute(statement)).one())

    async def unknown_genres(self, genre_ids: tuple[int, ...]) -> list[int]:
        if not genre_ids:
            return []
        query = select(genres.c.id).where(genres.c.id == func.any(_IDS))
        known = set((await self._connection.execute(query, {"ids": list(genre_ids)})).scalars())
        return [genre_id for genre_id in genre_ids if genre_id not in known]

    async def update(self, user_id: int, changes: ProfileChanges) -> User:
        statement = (
            update(users)
            .where(users.c.id == user_id)
            .values(
                favorite_genres=list(changes.favorite_genres),
                bio=changes.bio,
                avatar_url=changes.avatar_url,
                updated_at=func.now(),
            )
            .returning(users)
        )
        return user_from_row((await self._connection.execute(statement)).one())

    async def public_profile(self, username: str) -> PublicProfile | None:
        query = _public_profiles().where(users.c.username_canonical == canonical_username(username))
        row = (await self._connection.execute(query)).first()
        return None if row is None else _public_profile(row)

    async def list_public(self, page: PageRequest) -> Page[PublicProfile]:
        count = select(func.count()).select_from(users).where(users.c.is_active)
        total = int((await self._connection.execute(count)).scalar_one())
        query = (
            _public_profiles()
            .order_by(users.c.username_canonical, users.c.id)
            .offset(page.offset)
            .limit(page.page_size)
        )
        rows = (await self._connection.execute(query)).all() if total else []
        return Page([_public_profile(row) for row in rows], total, page)


def _public_profiles() -> Select[Any]:
    """Active users with the counts a public profile shows."""
    owner = users.c.id
    ratings_count = select(func.count()).where(ratings.c.user_id == owner).scalar_subquery()
    reviews_count = (
        select(func.count())
        .where(ratings.c.user_id == owner, func.coalesce(ratings.c.review, "") != "")
        .scalar_subquery()
    )
    public_playlists = (
        select(func.count())
        .where(playlists.c.owner_id == owner, playlists.c.visibility == "public")
        .scalar_subquery()
    )
    return select(
        users.c.id,
        users.c.username,
        users.c.date_joined,
        ratings_count.label("ratings_count"),
        reviews_count.label("reviews_count"),
        public_playlists.label("public_playlists"),
    ).where(users.c.is_active)


def _public_profile(row: Any) -> PublicProfile:
    return PublicProfile(
        user_id=row.id,
        username=row.username,
        date_joined=row.date_joined,
        ratings_count=row.ratings_count,
        reviews_count=row.reviews_count,
        public_playlists_count=row.public_playlists,
    )
