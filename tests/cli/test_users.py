"""`nexus users promote|demote USERNAME` sets the staff flag the catalogue's writes require;
`nexus users deactivate|activate USERNAME` refuses and restores the user's tokens."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
from fastapi import FastAPI

from tests.conftest import CreateUser

NEXUS = str(Path(sys.executable).with_name("nexus"))


def nexus(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "NEXUS_ENV"}}
    env.update({"DATABASE_URL": database_url, "LOG_FORMAT": "text"})
    return subprocess.run(
        [NEXUS, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


async def test_promote_then_demote(
    app: FastAPI,
    client: httpx.AsyncClient,
    create_user: CreateUser,
    database_url_for_test: str,
    tmp_path: Path,
) -> None:
    editor = await create_user("Editor")
    body = {"title": "Promoted Pick"}

    async def post() -> int:
        response = await client.post("/api/movies/", json=body, headers=editor.headers)
        return response.status_code

    assert await post() == 403
    promoted = await asyncio.to_thread(
        nexus, "users", "promote", "editor", database_url=database_url_for_test, cwd=tmp_path
    )
    assert promoted.returncode == 0, promoted.stderr
    assert "Editor is now staff" in promoted.stdout
    assert await post() == 201
    demoted = await asyncio.to_thread(
        nexus, "users", "demote", "EDITOR", database_url=database_url_for_test, cwd=tmp_path
    )
    assert demoted.returncode == 0, demoted.stderr
    assert await post() == 403


async def test_deactivate_then_activate(
    client: httpx.AsyncClient,
    create_user: CreateUser,
    database_url_for_test: str,
    tmp_path: Path,
) -> None:
    reader = await create_user("Reader")

    async def me() -> int:
        return (await client.get("/api/auth/me/", headers=reader.headers)).status_code

    assert await me() == 200
    deactivated = await asyncio.to_thread(
        nexus, "users", "deactivate", "READER", database_url=database_url_for_test, cwd=tmp_path
    )
    assert deactivated.returncode == 0, deactivated.stderr
    assert "Reader is deactivated" in deactivated.stdout
    assert await me() == 401
    activated = await asyncio.to_thread(
        nexus, "users", "activate", "reader", database_url=database_url_for_test, cwd=tmp_path
    )
    assert activated.returncode == 0, activated.stderr
    assert "Reader is active again" in activated.stdout
    assert await me() == 200


async def test_unknown_user_fails_in_one_line(database_url_for_test: str, tmp_path: Path) -> None:
    result = await asyncio.to_thread(
        nexus, "users", "promote", "nobody", database_url=database_url_for_test, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "nexus: no user named 'nobody'"
