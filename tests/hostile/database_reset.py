"""Put a test database back to the rows it held at one moment, identity counters included.

The stateful schemathesis phase needs it: Hypothesis replays and extends call sequences, and a
sequence must meet the same database each time (a playlist name created by an earlier sequence
makes the same POST a 409, the id is then missing from the bundle, and Hypothesis reports its
data generation as flaky). Synchronous, because state machines are.
"""

from __future__ import annotations

import asyncio

import asyncpg

SNAPSHOT_SCHEMA = "test_snapshot"

_TABLES = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'
"""
# Generated columns cannot be written; identity columns can (they are BY DEFAULT).
_WRITABLE_COLUMNS = """
SELECT column_name FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
ORDER BY ordinal_position
"""
_IDENTITY_COLUMNS = """
SELECT column_name FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = $1 AND is_identity = 'YES'
"""


class DatabaseSnapshot:
    def __init__(self, database_url: str) -> None:
        self._url = database_url.replace("postgresql+asyncpg://", "postgresql://")
        self._restore_sql: str | None = None

    def take(self) -> None:
        asyncio.run(self._take())

    def restore(self) -> None:
        assert self._restore_sql is not None, "take() a snapshot first"
        asyncio.run(self._execute(self._restore_sql))

    async def _take(self) -> None:
        connection = await asyncpg.connect(self._url)
        try:
            tables = [row["table_name"] for row in await connection.fetch(_TABLES)]
            copies = [f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE;"]
            copies.append(f"CREATE SCHEMA {SNAPSHOT_SCHEMA};")
            restore = [
                "SET LOCAL lock_timeout = '5s';",
                f"TRUNCATE {', '.join(map(_quoted, tables))} RESTART IDENTITY CASCADE;",
            ]
            for table in tables:
                columns = [
                    row["column_name"] for row in await connection.fetch(_WRITABLE_COLUMNS, table)
                ]
                column_list = ", ".join(map(_quoted, columns))
                copies.append(
                    f"CREATE TABLE {SNAPSHOT_SCHEMA}.{_quoted(table)} AS "
                    f"SELECT {column_list} FROM {_quoted(table)};"
                )
                restore.append(
                    f"INSERT INTO {_quoted(table)} ({column_list}) "
                    f"SELECT {column_list} FROM {SNAPSHOT_SCHEMA}.{_quoted(table)};"
                )
                for row in await connection.fetch(_IDENTITY_COLUMNS, table):
                    column = row["column_name"]
                    # The next id a sequence hands out is the same after every restore.
                    restore.append(
                        f"SELECT setval(pg_get_serial_sequence('{_quoted(table)}', '{column}'), "
                        f"max({_quoted(column)})) FROM {_quoted(table)} "
                        f"HAVING max({_quoted(column)}) IS NOT NULL;"
                    )
            await connection.execute("\n".join(copies))
        finally:
            await connection.close()
        self._restore_sql = "BEGIN;\n" + "\n".join(restore) + "\nCOMMIT;"

    async def _execute(self, sql: str) -> None:
        connection = await asyncpg.connect(self._url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
