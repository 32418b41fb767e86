"""Playlists and their ordered movies in PostgreSQL. A page of playlists costs three statements
(count, page, every listed playlist's movies at once) whatever its size."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, insert, or_, select, update

from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.playlist_items import PostgresPlaylistItems
from app.adapters.postgres.tables import playlist_items, playlists, users
from app.domain.accounts.usernames import canonical_username
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.playlists import Playlist, PlaylistDraft, PlaylistMovie, PlaylistQuery

_ORDER_COLUMNS = {"created_at": playlists.c.created_at, "name": playlists.c.name}

_MOVIE_COUNT = (
    select(func.count())
    .where(playlist_items.c.playlist_id == playlists.c.id)
    .scalar_subquery()
    .label("movie_count")
)


def _header_select() -> Select[Any]:
    return select(playlists, users.c.username.label("owner_username"), _MOVIE_COUNT).select_from(
        playlists.join(users, users.c.id == playlists.c.owner_id)
    )


def _playlist_from_row(row: Any, items: tuple[PlaylistMovie, ...] = ()) -> Playlist:
    return Playlist(
        id=row.id,
        owner_id=row.owner_id,
        owner_username=row.owner_username,
        name=row.name,
        description=row.description,
        visibility=row.visibility,
        slug=row.slug,
        movie_count=row.movie_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        movies=items,
    )


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PostgresPlaylistRepository(PostgresPlaylistItems):
    async def lock_owner(self, owner_id: int) -> int:
        # NO KEY UPDATE: serialises creations by one owner without blocking rows that merely
        # reference the user (their ratings, tokens).
        await self._connection.execute(
            select(users.c.id).where(users.c.id == owner_id).with_for_update(key_share=True)
        )
        query = select(func.count()).where(playlists.c.owner_id == owner_id)
        count: int = (await self._connection.execute(query)).scalar_one()
        return count

    async def add(self, owner_id: int, draft: PlaylistDraft, slug: str) -> int:
        statement = (
            insert(playlists)
            .values(
                owner_id=owner_id,
                name=draft.name,
                description=draft.description,
                visibility=draft.visibility,
                slug=slug,
            )
            .returning(playlists.c.id)
        )
        with translate_integrity_errors():
            new_id: int = (await self._connection.execute(statement)).scalar_one()
        return new_id

    async def get(self, playlist_id: int) -> Playlist | None:
        return await self._one(playlists.c.id == playlist_id)

    async def get_by_slug(self, slug: str) -> Playlist | None:
        return await self._one(playlists.c.slug == slug)

    async def lock(self, playlist_id: int) -> Playlist | None:
        query = _header_select().where(playlists.c.id == playlist_id).with_for_update(of=playlists)
        row = (await self._connection.execute(query)).first()
        return _playlist_from_row(row) if row else None

    async def update(self, playlist_id: int, draft: PlaylistDraft) -> None:
        statement = (
            update(playlists)
            .where(playlists.c.id == playlist_id)
            .values(
                name=draft.name,
                description=draft.description,
                visibility=draft.visibility,
                updated_at=func.now(),
            )
        )
        with translate_integrity_errors():
            await self._connection.execute(statement)

    async def delete(self, playlist_id: int) -> None:
        await self._connection.execute(playlists.delete().where(playlists.c.id == playlist_id))

    async def find(self, query: PlaylistQuery, page: PageRequest) -> Page[Playlist]:
        conditions = _list_conditions(query)
        column = _ORDER_COLUMNS[query.ordering.lstrip("-")]
        order = column.desc() if query.ordering.startswith("-") else column.asc()
        rows = (
            await self._connection.execute(
                _header_select()
                .where(*conditions)
                .order_by(order, playlists.c.id.desc())
                .offset(page.offset)
                .limit(page.limit)
            )
        ).all()
        count_query = (
            select(func.count())
            .select_from(playlists.join(users, users.c.id == playlists.c.owner_id))
            .where(*conditions)
        )
        count = (await self._connection.execute(count_query)).scalar_one()
        items = await self.items_of([row.id for row in rows])
        found = [_playlist_from_row(row, items.get(row.id, ())) for row in rows]
        return Page(items=found, count=count, request=page)

    async def _one(self, condition: Any) -> Playlist | None:
        row = (await self._connection.execute(_header_select().where(condition))).first()
        if row is None:
            return None
        items = await self.items_of([row.id])
        return _playlist_from_row(row, items.get(row.id, ()))


def _list_conditions(query: PlaylistQuery) -> list[Any]:
    viewer_owns = playlists.c.owner_id == (query.viewer_id or 0)
    conditions: list[Any] = [
        viewer_owns if query.mine_only else or_(playlists.c.visibility == "public", viewer_owns)
    ]
    if query.visibility is not None:
        conditions.append(playlists.c.visibility == query.visibility)
    if query.owner is not None:
        conditions.append(users.c.username_canonical == canonical_username(query.owner))
    if query.search:
        pattern = f"%{_escape_like(query.search)}%"
        conditions.append(
            or_(
                playlists.c.name.ilike(pattern, escape="\\"),
                playlists.c.description.ilike(pattern, escape="\\"),
            )
        )
    return [and_(*conditions)]
