"""The engine, its pool and the unit of work over PostgreSQL (SQLAlchemy asyncio + asyncpg)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.adapters.postgres.catalogue_writer import PostgresCatalogueWriter
from app.adapters.postgres.genre_directory import GenreDirectory
from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.movies import PostgresGenreRepository, PostgresMovieRepository
from app.adapters.postgres.playlists import PostgresPlaylistRepository
from app.adapters.postgres.profiles import PostgresProfileRepository
from app.adapters.postgres.ratings import PostgresRatingRepository
from app.adapters.postgres.refresh_tokens import PostgresRefreshTokenStore
from app.adapters.postgres.stats import PostgresStatsRepository
from app.adapters.postgres.users import PostgresUserRepository


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: float = 5.0,
    statement_timeout_ms: int = 15_000,
    connect_timeout: float = 5.0,
) -> AsyncEngine:
    """A bounded pool that checks a connection that sat idle before handing it out, so that a
    restarted PostgreSQL is picked up again without restarting the service."""
    server_settings = {"application_name": "nexus"}
    if statement_timeout_ms:
        server_settings["statement_timeout"] = str(statement_timeout_ms)
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
        connect_args={"timeout": connect_timeout, "server_settings": server_settings},
    )
    ping_connections_that_sat_idle(engine)
    return engine


# SQLAlchemy's pre-ping checks every connection handed out, in three round trips (BEGIN, an
# empty query, ROLLBACK): on a rating write, as many as the write itself. Only a connection that
# sat idle this long is checked; one in steady use that finds PostgreSQL gone fails its request
# (a 503) and makes the pool drop every connection older than the failure, so the next requests
# reconnect.
IDLE_BEFORE_PING_SECONDS = 1.0


def ping_connections_that_sat_idle(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool

    def since_now(dbapi_connection: Any, record: Any, *more: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get("idle_since", 0.0)
        if time.monotonic() - idle_since < IDLE_BEFORE_PING_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:  # the pool replaces it and tries again
            raise DisconnectionError("connection lost while idle") from error

    event.listen(pool, "connect", since_now)
    event.listen(pool, "checkin", since_now)
    event.listen(pool, "checkout", ping_if_idle)


class PostgresUnitOfWork:
    """One connection and one transaction for one use case. Repositories are created on the
    connection on first use; nothing is committed unless the use case calls `commit()`."""

    def __init__(self, engine: AsyncEngine, genre_directory: GenreDirectory | None = None) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._repositories: dict[str, Any] = {}
        self._genre_directory = genre_directory
        self._genres_written = False

    def _wrote_genres(self) -> None:
        self._genres_written = True
        if self._genre_directory is not None:
            self._genre_directory.forget()

    def _genre_reads(self) -> GenreDirectory | None:
        return None if self._genres_written else self._genre_directory

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use `async with`")
        return self._connection

    async def __aenter__(self) -> PostgresUnitOfWork:
        self._connection = await self._engine.connect()
        await self._connection.begin()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        connection, self._connection = self._connection, None
        self._repositories.clear()
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            await connection.close()

    async def commit(self) -> None:
        with translate_integrity_errors():
            await self.connection.commit()
        await self.connection.begin()

    async def rollback(self) -> None:
        await self.connection.rollback()
        await self.connection.begin()

    @property
    def users(self) -> PostgresUserRepository:
        return self.repository("users", PostgresUserRepository)

    @property
    def refresh_tokens(self) -> PostgresRefreshTokenStore:
        return self.repository("refresh_tokens", PostgresRefreshTokenStore)

    @property
    def catalogue(self) -> PostgresCatalogueWriter:
        return self.repository(
            "catalogue", lambda c: PostgresCatalogueWriter(c, self._wrote_genres)
        )

    @property
    def movies(self) -> PostgresMovieRepository:
        return self.repository("movies", PostgresMovieRepository)

    @property
    def genres(self) -> PostgresGenreRepository:
        return self.repository("genres", lambda c: PostgresGenreRepository(c, self._genre_reads))

    @property
    def ratings(self) -> PostgresRatingRepository:
        return self.repository("ratings", PostgresRatingRepository)

    @property
    def playlists(self) -> PostgresPlaylistRepository:
        return self.repository("playlists", PostgresPlaylistRepository)

    @property
    def profiles(self) -> PostgresProfileRepository:
        return self.repository("profiles", PostgresProfileRepository)

    @property
    def stats(self) -> PostgresStatsRepository:
        return self.repository("stats", PostgresStatsRepository)

    def repository(self, name: str, factory: Any) -> Any:
        """The repository `name` on this unit of work's connection, created once."""
        if name not in self._repositories:
            self._repositories[name] = factory(self.connection)
        return self._repositories[name]


class PostgresDatabase:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        # Every genre, as last read, shared by this database's units of work.
        self.genre_directory = GenreDirectory()

    def unit_of_work(self) -> PostgresUnitOfWork:
        return PostgresUnitOfWork(self.engine, self.genre_directory)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
