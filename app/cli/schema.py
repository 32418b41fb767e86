"""Is the database at the schema this code expects? Commands ask before they touch it, so a
database that is behind ends them with one line saying what to run, not a missing-table traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.cli.failures import CommandError

log = logging.getLogger("nexus.cli")


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: frozenset[str]  # the database's alembic_version rows; empty when never migrated
    heads: frozenset[str]  # the newest revisions of this code's migrations
    known: frozenset[str]  # every revision this code has a migration for

    @property
    def up_to_date(self) -> bool:
        return self.current == self.heads

    @property
    def newer_than_code(self) -> bool:
        return bool(self.current - self.known)

    def describe(self) -> str:
        return ", ".join(sorted(self.current)) or "empty"


def code_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, every revision) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    from app.cli import PROJECT_ROOT

    scripts = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return frozenset(scripts.get_heads()), known


async def database_revisions(url: str) -> frozenset[str]:
    from sqlalchemy import text

    from app.bootstrap.batch import probe_connection

    async with probe_connection(url) as connection:
        table = await connection.scalar(text("SELECT to_regclass('alembic_version')"))
        if table is None:
            return frozenset()
        rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(str(row[0]) for row in rows)


async def schema_state(url: str) -> SchemaState:
    heads, known = code_revisions()
    return SchemaState(current=await database_revisions(url), heads=heads, known=known)


def bring_schema_up_to_date(url: str, state: SchemaState, migrate: bool) -> None:
    """Migrate when allowed (the embedded database, or `--migrate`); otherwise stop in one line."""
    from app.cli import run_migrations

    if state.up_to_date:
        return
    if state.newer_than_code:
        raise CommandError(
            f"the database's schema ({state.describe()}) is newer than this version of Nexus; "
            "upgrade Nexus, or point DATABASE_URL at another database"
        )
    if not migrate:
        raise CommandError(
            f"the database's schema is behind (at {state.describe()}, needs "
            f"{', '.join(sorted(state.heads))}): run `nexus migrate` first, or add --migrate"
        )
    log.info("migrating the database (at %s)", state.describe())
    run_migrations(url)
