"""The ordered movies of a playlist in PostgreSQL. Positions stay dense (0..n-1): the callers
hold the playlist's row lock, and every change shifts the neighbours in the same transaction."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import BigInteger, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.tables import movies, playlist_items, playlists
from app.domain.social.playlists import PlaylistMovie

# Each movie's genres as [id, name] pairs in the movie's own order, in the same statement.
_GENRES = text(
    "(SELECT coalesce(json_agg(json_build_array(g.id, g.name) "
    "ORDER BY array_position(movies.genre_ids, g.id)), '[]'::json) "
    "FROM genres g WHERE g.id = ANY(movies.genre_ids)) AS genre_pairs"
)

IDS = bindparam("ids", type_=ARRAY(BigInteger))

# Movies kept by a replacement keep their `added_at`; the deferred UNIQUE(playlist_id, position)
# lets positions be permuted inside the transaction.
_UPSERT_POSITIONS = text(
    "INSERT INTO playlist_items (playlist_id, movie_id, position) "
    "SELECT :playlist_id, item.movie_id, item.ordinal - 1 "
    "FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS item(movie_id, ordinal) "
    "ON CONFLICT (playlist_id, movie_id) DO UPDATE SET position = excluded.position"
)


class PostgresPlaylistItems:
    """The item half of the playlist repository."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def movie_ids(self, playlist_id: int) -> list[int]:
        query = (
            select(playlist_items.c.movie_id)
            .where(playlist_items.c.playlist_id == playlist_id)
            .order_by(playlist_items.c.position)
        )
        return list((await self._connection.execute(query)).scalars())

    async def unknown_movies(self, movie_ids: list[int]) -> list[int]:
        query = select(movies.c.id).where(movies.c.id == func.any(IDS))
        known = set((await self._connection.execute(query, {"ids": movie_ids})).scalars())
        return [movie_id for movie_id in movie_ids if movie_id not in known]

    async def replace_movies(self, playlist_id: int, movie_ids: list[int]) -> None:
        await self._connection.execute(
            playlist_items.delete().where(
                playlist_items.c.playlist_id == playlist_id,
                ~(playlist_items.c.movie_id == func.any(IDS)),
            ),
            {"ids": movie_ids},
        )
        with translate_integrity_errors():
            if movie_ids:
                await self._connection.execute(
                    _UPSERT_POSITIONS, {"playlist_id": playlist_id, "ids": movie_ids}
                )
        await self._touch(playlist_id)

    async def insert_movie(self, playlist_id: int, movie_id: int, position: int) -> None:
        await self._connection.execute(
            update(playlist_items)
            .where(
                playlist_items.c.playlist_id == playlist_id, playlist_items.c.position >= position
            )
            .values(position=playlist_items.c.position + 1)
        )
        with translate_integrity_errors():
            await self._connection.execute(
                insert(playlist_items).values(
                    playlist_id=playlist_id, movie_id=movie_id, position=position
                )
            )
        await self._touch(playlist_id)

    async def remove_movie(self, playlist_id: int, movie_id: int) -> bool:
        removed = (
            await self._connection.execute(
                playlist_items.delete()
                .where(
                    playlist_items.c.playlist_id == playlist_id,
                    playlist_items.c.movie_id == movie_id,
                )
                .returning(playlist_items.c.position)
            )
        ).scalar_one_or_none()
        if removed is None:
            return False
        await self._connection.execute(
            update(playlist_items)
            .where(playlist_items.c.playlist_id == playlist_id, playlist_items.c.position > removed)
            .values(position=playlist_items.c.position - 1)
        )
        await self._touch(playlist_id)
        return True

    async def items_of(self, playlist_ids: list[int]) -> dict[int, tuple[PlaylistMovie, ...]]:
        if not playlist_ids:
            return {}
        query = (
            select(
                playlist_items.c.playlist_id,
                playlist_items.c.movie_id,
                playlist_items.c.position,
                playlist_items.c.added_at,
                movies.c.title,
                movies.c.poster_path,
                movies.c.release_date,
                movies.c.tmdb_id,
                movies.c.vote_average,
                movies.c.popularity,
                _GENRES,
            )
            .select_from(playlist_items.join(movies, movies.c.id == playlist_items.c.movie_id))
            .where(playlist_items.c.playlist_id == func.any(IDS))
            .order_by(playlist_items.c.playlist_id, playlist_items.c.position)
        )
        grouped: dict[int, list[PlaylistMovie]] = defaultdict(list)
        for row in await self._connection.execute(query, {"ids": playlist_ids}):
            grouped[row.playlist_id].append(
                PlaylistMovie(
                    movie_id=row.movie_id,
                    title=row.title,
                    poster_path=row.poster_path,
                    release_date=row.release_date,
                    position=row.position,
                    added_at=row.added_at,
                    tmdb_id=row.tmdb_id,
                    genres=tuple((genre[0], genre[1]) for genre in row.genre_pairs),
                    vote_average=row.vote_average,
                    popularity=row.popularity,
                )
            )
        return {playlist_id: tuple(items) for playlist_id, items in grouped.items()}

    async def _touch(self, playlist_id: int) -> None:
        await self._connection.execute(
            update(playlists).where(playlists.c.id == playlist_id).values(updated_at=func.now())
        )
