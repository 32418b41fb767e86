"""Every command that uses the database brings it to this code's schema first: the embedded one
always, an external DATABASE_URL only with `--migrate`; otherwise one line saying to run
`nexus migrate`, and nothing touched."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import PROJECT_ROOT, run_migrations
from tests.conftest import TEST_JWT_SECRET
from tests.support.data_dirs import fresh_data_dir
from tests.support.fake_tmdb import API_KEY, FakeTmdb
from tests.support.movielens_files import write_grouplens_100k
from tests.support.server_process import NEXUS, clean_env
from tests.support.terminal import assert_human_output, run_in_terminal

__all__ = ["fresh_data_dir"]  # the fixture, used below by name


def _head() -> str:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    [head] = ScriptDirectory.from_config(config).get_heads()
    return head


HEAD = _head()
PASSWORD = "a long enough demo passphrase"


def command_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = clean_env(
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        JWT_SECRET=TEST_JWT_SECRET,
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="1024",
        PASSWORD_HASH_PARALLELISM="1",
        **extra,
    )
    env.pop("LOG_FORMAT")  # what a person has: no LOG_FORMAT at all
    return env


def run(*args: str, env: dict[str, str], cwd: Path, stdin: str | None = None):
    return subprocess.run(
        [NEXUS, *args], env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120
    )


async def scalar(url: str, sql: str) -> object:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(text(sql))
    finally:
        await engine.dispose()


def database_commands(tmp_path: Path) -> list[tuple[str, ...]]:
    release = str(write_grouplens_100k(tmp_path / "ml"))
    return [
        ("sync-tmdb", "--pages", "1"),
        ("import-movielens", release),
        ("build-model",),
        ("seed-synthetic", "--movies", "5", "--users", "3", "--ratings", "10"),
        ("users", "promote", "alice"),
        ("users", "create", "alice", "--password-stdin"),
        ("serve", "--no-migrate"),
    ]


@pytest.mark.parametrize("revision", [None, "6a01"])
async def test_a_schema_behind_stops_every_command_in_one_line(
    empty_database: str, revision: str | None, tmp_path: Path
) -> None:
    if revision:
        await asyncio.to_thread(run_migrations, empty_database, revision)
    # TMDb at a closed port: the sync must stop before it asks anything.
    env = command_env(
        tmp_path,
        DATABASE_URL=empty_database,
        TMDB_API_KEY=API_KEY,
        TMDB_BASE_URL="http://127.0.0.1:9/3",
    )
    for args in database_commands(tmp_path):
        result = await asyncio.to_thread(run, *args, env=env, cwd=tmp_path, stdin=PASSWORD + "\n")
        assert result.returncode == 1, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (args, result.stderr)
        assert "schema is behind" in lines[0] and "run `nexus migrate`" in lines[0], lines
        assert "--migrate" in lines[0]
        assert result.stdout == ""
    # Nothing was created or migrated by the refused commands.
    assert await scalar(empty_database, "SELECT to_regclass('movies')") == (
        None if revision is None else "movies"
    )
    if revision:
        assert await scalar(empty_database, "SELECT version_num FROM alembic_version") == revision


async def test_migrate_flag_migrates_an_external_database(
    empty_database: str, tmp_path: Path
) -> None:
    env = command_env(tmp_path, DATABASE_URL=empty_database)
    args = ("users", "create", "alice", "--staff", "--password-stdin", "--migrate")
    created = await asyncio.to_thread(run, *args, env=env, cwd=tmp_path, stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert "created staff user alice" in created.stdout
    assert await scalar(empty_database, "SELECT version_num FROM alembic_version") == HEAD
    # Up to date now: the next command needs no flag.
    demoted = await asyncio.to_thread(run, "users", "demote", "alice", env=env, cwd=tmp_path)
    assert demoted.returncode == 0, demoted.stderr


async def test_a_schema_newer_than_the_code_is_named(
    database_url_for_test: str, tmp_path: Path
) -> None:
    engine = create_async_engine(database_url_for_test)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    await engine.dispose()
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test)
    result = await asyncio.to_thread(run, "build-model", "--migrate", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "nexus: the database's schema (ffff) is newer than this version of Nexus; upgrade Nexus, "
        "or point DATABASE_URL at another database"
    ]


async def test_commands_on_a_migrated_external_database_speak_plainly(
    database_url_for_test: str, tmp_path: Path
) -> None:
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test)
    release = str(write_grouplens_100k(tmp_path / "ml"))
    for args, expected in [
        (("import-movielens", release), "imported 40 movies, 60 users"),
        # The import built model 1.
        (("build-model",), "model 2: "),
        (("users", "promote", "movielens-1"), "movielens-1 is now staff"),
    ]:
        result = await asyncio.to_thread(run_in_terminal, *args, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.output
        assert any(expected in line for line in result.lines), result.output
        assert_human_output(result)


def test_a_fresh_data_dir_is_migrated_by_the_first_command(
    fake_tmdb: FakeTmdb, fresh_data_dir: Path, tmp_path: Path
) -> None:
    """The original's order on a new machine: sync the catalogue first, then import and sign up."""
    env = command_env(tmp_path, TMDB_API_KEY=API_KEY, TMDB_BASE_URL=fake_tmdb.base_url)
    env["NEXUS_DATA_DIR"] = str(fresh_data_dir)
    pgdata = fresh_data_dir / "postgres"
    synced = run_in_terminal(
        "sync-tmdb", "--category", "popular", "--pages", "2", env=env, cwd=tmp_path
    )
    assert synced.returncode == 0, synced.output
    assert any(line.startswith("synced 2/2 pages of popular") for line in synced.lines)
    assert_human_output(synced)
    # Quiet: our own few lines and the progress bar, not pgserver's initdb or pg_ctl records.
    ours = ("starting embedded PostgreSQL in ", "migrating the database", "pages ", "synced ")
    assert all(line.startswith(ours) for line in synced.lines), synced.output
    assert len(synced.lines) == 4, synced.output
    assert not (pgdata / "postmaster.pid").exists(), "the embedded server was left running"

    release = str(write_grouplens_100k(tmp_path / "ml"))
    imported = run_in_terminal("import-movielens", release, env=env, cwd=tmp_path)
    assert imported.returncode == 0, imported.output
    assert_human_output(imported)
    created = run_in_terminal(
        "users", "create", "alice", "--password-stdin", env=env, cwd=tmp_path, stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.output
    assert_human_output(created)
    built = run_in_terminal("build-model", env=env, cwd=tmp_path)
    assert built.returncode == 0, built.output
    # The import built model 1.
    assert any(line.startswith("model 2: ") for line in built.lines), built.output
    doctor = run_in_terminal("doctor", env=env, cwd=tmp_path)
    assert doctor.returncode == 0, doctor.output
    assert_human_output(doctor)
    assert any(line.startswith("model ") and " ok " in line for line in doctor.lines)
    assert not (pgdata / "postmaster.pid").exists(), "the embedded server was left running"


def test_a_data_dir_that_is_not_a_cluster_stops_in_one_line(
    fresh_data_dir: Path, tmp_path: Path
) -> None:
    stray = fresh_data_dir / "postgres"
    stray.mkdir(parents=True)
    (stray / "notes.txt").write_text("not a PostgreSQL cluster")
    env = command_env(tmp_path)
    env["NEXUS_DATA_DIR"] = str(fresh_data_dir)
    result = run_in_terminal("build-model", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert_human_output(result)
    assert result.lines[-1].startswith(
        f"nexus: configuration error: NEXUS_DATA_DIR: the embedded PostgreSQL could not start "
        f"in {stray}: initdb: "
    ), result.output
    assert len(result.lines) == 2, result.output  # "starting embedded PostgreSQL in ..." first
