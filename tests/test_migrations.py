"""The stairway: every revision upgrades, downgrades and upgrades again; and the migrated schema
matches the tables the code uses."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.postgres.tables import OPTIONAL_INDEXES, metadata
from app.cli import PROJECT_ROOT, run_migrations


def revisions() -> list[str]:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


async def test_stairway_upgrade_downgrade_upgrade(empty_database: str) -> None:
    previous = "base"
    for revision in revisions():
        await asyncio.to_thread(run_migrations, empty_database, revision)
        await asyncio.to_thread(run_migrations, empty_database, previous, True)
        await asyncio.to_thread(run_migrations, empty_database, revision)
        previous = revision


async def test_downgrade_to_base_leaves_nothing(empty_database: str) -> None:
    await asyncio.to_thread(run_migrations, empty_database, "head")
    await asyncio.to_thread(run_migrations, empty_database, "base", True)
    engine = create_async_engine(empty_database)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync))
    finally:
        await engine.dispose()
    assert set(tables) <= {"alembic_version"}


def declared(name: str | None, kind: str, _parents: object) -> bool:
    """Every schema object is compared, except the indexes the server may not support."""
    return not (kind == "index" and name in OPTIONAL_INDEXES)


async def test_migrated_schema_matches_the_tables(empty_database: str) -> None:
    await asyncio.to_thread(run_migrations, empty_database, "head")
    engine = create_async_engine(empty_database)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": declared}), metadata
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


def test_revisions_form_one_line() -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
