"""Alembic environment, async. Run by `nexus migrate` before the server starts, never from inside
a running event loop (Alembic's async env calls `asyncio.run`).

Migrations run under a PostgreSQL advisory lock: replicas that start together queue on it, and
each reads the schema's revision only once it holds the lock, so the first migrates and the
others find nothing left to do."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.postgres.tables import metadata

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata

# The advisory lock's key, shared by every process that migrates this database (b"NexusMig").
MIGRATION_LOCK_KEY = 0x4E657875734D6967


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from app.bootstrap.settings import load_settings

    configured = load_settings().database_url
    if configured is None:
        raise RuntimeError(
            "DATABASE_URL is not set: run `nexus migrate`, which starts the "
            "embedded PostgreSQL when no DATABASE_URL is given"
        )
    return configured


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    # A session lock, committed at once so that it outlives the migrations' own transactions.
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    connection.commit()
    try:
        context.configure(
            connection=connection, target_metadata=target_metadata, transaction_per_migration=True
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.rollback()  # nothing is left open, whatever a failed revision did
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()


async def run_async_migrations() -> None:
    engine = create_async_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
