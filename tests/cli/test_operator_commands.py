"""`nexus doctor`, `nexus users create`, `serve`'s banner and refusals: what an operator sees in
the first hour, on a terminal, in a few plain lines and never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from app.bootstrap.settings import Settings
from app.cli import build_parser, run_migrations
from app.cli.status import describe_database, describe_redis
from tests.cli.test_schema_first import PASSWORD, command_env, run
from tests.support.fake_tmdb import API_KEY, FakeTmdb
from tests.support.server_process import NEXUS, free_port
from tests.support.terminal import assert_human_output, converse, run_in_terminal


def rows_of(table: str) -> dict[str, tuple[str, str]]:
    """doctor's table: check name -> (verdict, detail)."""
    found = {}
    for line in table.splitlines():
        name, verdict, *detail = line.split(maxsplit=2)
        found[name] = (verdict, detail[0] if detail else "")
    return found


async def test_doctor_reports_a_healthy_installation(
    database_url_for_test: str, fake_tmdb: FakeTmdb, tmp_path: Path
) -> None:
    env = command_env(
        tmp_path,
        DATABASE_URL=database_url_for_test,
        TMDB_API_KEY=API_KEY,
        TMDB_BASE_URL=fake_tmdb.base_url,
    )
    result = await asyncio.to_thread(run_in_terminal, "doctor", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.output
    assert_human_output(result)
    table = rows_of("\n".join(result.lines))
    assert list(table) == ["configuration", "database", "schema", "redis", "tmdb", "model"]
    assert table["schema"][0] == "ok" and "(current)" in table["schema"][1]
    assert table["tmdb"] == ("ok", "credentials accepted (19 genres)")
    assert table["redis"][0] == "note" and "REDIS_URL" in table["redis"][1]
    assert table["model"][0] == "note" and "nexus build-model" in table["model"][1]
    assert fake_tmdb.count("/genre/movie/list") == 1


async def test_doctor_names_what_is_broken_and_what_to_do(
    empty_database: str, fake_tmdb: FakeTmdb, tmp_path: Path
) -> None:
    await asyncio.to_thread(run_migrations, empty_database, "6a01")
    env = command_env(
        tmp_path,
        DATABASE_URL=empty_database,
        TMDB_API_KEY="not-the-key",
        TMDB_BASE_URL=fake_tmdb.base_url,
        REDIS_URL="redis://127.0.0.1:9/0",
    )
    result = await asyncio.to_thread(run, "doctor", env=env, cwd=tmp_path)
    assert result.returncode == 1
    table = rows_of(result.stdout)
    assert table["schema"] == ("FAIL", "at 6a01, behind: run `nexus migrate`")
    assert table["redis"][0] == "FAIL" and "REDIS_URL" in table["redis"][1]
    assert table["tmdb"][0] == "FAIL" and "TMDB_READ_TOKEN" in table["tmdb"][1]
    assert result.stderr.strip() == "nexus: broken: schema, redis, tmdb"
    assert "Traceback" not in result.stderr


async def test_users_create_makes_an_account_that_signs_in(
    database_url_for_test: str, tmp_path: Path
) -> None:
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test)
    args = ("users", "create", "Alice", "--staff", "--email", "alice@example.com")
    created = await asyncio.to_thread(
        run, *args, "--password-stdin", env=env, cwd=tmp_path, stdin=PASSWORD + "\n"
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "created staff user Alice <alice@example.com>"
    again = await asyncio.to_thread(
        run, *args, "--password-stdin", env=env, cwd=tmp_path, stdin=PASSWORD + "\n"
    )
    assert again.returncode == 1
    assert len(again.stderr.strip().splitlines()) == 1 and "already" in again.stderr
    weak = await asyncio.to_thread(
        run, "users", "create", "bob", "--password-stdin", env=env, cwd=tmp_path, stdin="bob\n"
    )
    assert weak.returncode == 1 and weak.stderr.startswith("nexus: ")
    assert len(weak.stderr.strip().splitlines()) == 1, weak.stderr
    no_terminal = await asyncio.to_thread(run, "users", "create", "carol", env=env, cwd=tmp_path)
    assert no_terminal.returncode == 1
    assert "--password-stdin" in no_terminal.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("frobnicate",), "nexus: unknown command: 'frobnicate'"),
        (("serve", "--bogus"), "nexus: unrecognized arguments: --bogus"),
        (("evaluate",), "the following arguments are required: directory"),
        (("users", "create"), "the following arguments are required: username"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], expected: str, tmp_path: Path
) -> None:
    result = run(*args, env=command_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert lines[0].endswith("--help`)")


def test_serve_refuses_a_port_in_use_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), env=command_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"nexus: cannot listen on 127.0.0.1:{port} (Address already in use): stop what uses it, "
        "or choose another port with --port"
    ]
    assert not (tmp_path / "data" / "postgres").exists(), "the embedded PostgreSQL was started"


def test_serve_greets_a_terminal_with_five_lines(
    database_url_for_test: str, tmp_path: Path
) -> None:
    port = free_port()
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [NEXUS, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    output = b""
    try:
        deadline = time.monotonic() + 60
        while b"Model" not in output and time.monotonic() < deadline:
            if select.select([controller], [], [], 0.5)[0]:
                output += os.read(controller, 65536)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        while select.select([controller], [], [], 0.2)[0]:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.close(controller)
    lines = [line for line in output.decode().replace("\r\n", "\n").split("\n") if line.strip()]
    assert lines[:5] == [
        f"Nexus API   {base}/api/",
        f"Swagger UI  {base}/swagger/    ReDoc  {base}/redoc/",
        lines[2],
        "Redis       not in use: cache and rate limits live in this process "
        "(set REDIS_URL to share)",
        "Model       none yet: recommendations fall back to popular movies (`nexus build-model`)",
    ]
    assert lines[2].startswith("Database    postgresql://postgres@")
    assert "Traceback" not in output.decode()
    assert not any(line.lstrip().startswith("{") for line in lines), lines


def test_every_help_gives_an_example() -> None:
    parser = build_parser()
    assert "examples:\n  nexus serve" in parser.format_help()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command_parser in commands.choices.items():
        assert f"nexus {name}" in (command_parser.epilog or ""), name
        for action in command_parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child_name, child in action.choices.items():
                    assert f"nexus {name} {child_name}" in (child.epilog or ""), child_name


async def test_users_create_asks_for_the_password_twice(
    database_url_for_test: str, tmp_path: Path
) -> None:
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test)
    prompts = [("Password: ", PASSWORD), ("Password (again): ", PASSWORD)]
    created = await asyncio.to_thread(
        converse, "users", "create", "dana", env=env, cwd=tmp_path, replies=prompts
    )
    assert created.returncode == 0, created.output
    assert "created user dana <dana@example.invalid>" in created.output
    assert PASSWORD not in created.output  # not echoed
    differ = [("Password: ", PASSWORD), ("Password (again): ", PASSWORD + "!")]
    refused = await asyncio.to_thread(
        converse, "users", "create", "erin", env=env, cwd=tmp_path, replies=differ
    )
    assert refused.returncode == 1
    assert "nexus: the two passwords differ; nothing was created" in refused.output


async def test_doctor_pings_redis(
    database_url_for_test: str, redis_url: str, tmp_path: Path
) -> None:
    env = command_env(tmp_path, DATABASE_URL=database_url_for_test, REDIS_URL=redis_url)
    result = await asyncio.to_thread(run, "doctor", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    verdict, detail = rows_of(result.stdout)["redis"]
    assert verdict == "ok" and detail.startswith("in use: redis://")
    assert rows_of(result.stdout)["tmdb"][0] == "note"


def test_redis_and_database_are_described_without_passwords(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, redis_url="redis://:s3cret@cache:6379/0")  # type: ignore[call-arg]
    assert describe_redis(settings) == "in use: redis://:***@cache:6379/0"
    url = "postgresql+asyncpg://nexus:s3cret@db:5432/nexus"
    assert describe_database(url, False, tmp_path) == "postgresql://nexus:***@db:5432/nexus"
