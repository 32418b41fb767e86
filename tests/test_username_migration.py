"""The canonical-username migration: existing rows get the same form new ones get, names that
fold together stop it with a message naming them, and it downgrades."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import run_migrations
from app.domain.accounts.usernames import canonical_username

BEFORE = "9e31"


async def execute(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(sql))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


async def insert_users(url: str, *names: str) -> None:
    values = ", ".join(f"('{name}', '{n}@example.com')" for n, name in enumerate(names))
    await execute(url, f"INSERT INTO users (username, email) VALUES {values}")


async def test_existing_usernames_get_their_canonical_form(empty_database: str) -> None:
    await asyncio.to_thread(run_migrations, empty_database, BEFORE)
    names = ("bob", "\u0130zmircgv", "Stra\u00dfe", "\uff56ictim")
    await insert_users(empty_database, *names)
    await asyncio.to_thread(run_migrations, empty_database, "head")
    rows = await execute(empty_database, "SELECT username, username_canonical FROM users")
    assert {row[0]: row[1] for row in rows} == {name: canonical_username(name) for name in names}

    await asyncio.to_thread(run_migrations, empty_database, BEFORE, True)
    columns = await execute(
        empty_database,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'",
    )
    assert ("username_canonical",) not in columns


async def test_names_that_fold_together_stop_the_upgrade(empty_database: str) -> None:
    await asyncio.to_thread(run_migrations, empty_database, BEFORE)
    await insert_users(empty_database, "STRASSE", "stra\u00dfe")  # distinct under lower()
    with pytest.raises(RuntimeError, match="STRASSE, stra\u00dfe"):
        await asyncio.to_thread(run_migrations, empty_database, "head")
