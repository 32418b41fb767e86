"""Fixtures for the fault suites: throw-away servers, stopped for good after each test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.domain.accounts.users import NewUser
from tests.faults.servers import ThrowawayPostgres, ThrowawayRedis


@pytest.fixture
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    # Straight under the temporary directory: pytest's own tree is closed to other accounts,
    # and PostgreSQL may have to run as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="nexus-fault-postgres-"))
    try:
        server = ThrowawayPostgres(root)
        server.start()
        try:
            yield server
        finally:
            server.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.close()


async def sign_in(app: FastAPI, username: str = "faulty") -> dict[str, str]:
    runtime = app.state.runtime
    async with runtime.database.unit_of_work() as uow:
        user = await uow.users.add(
            NewUser(username=username, email=f"{username}@example.com", password_hash=None)
        )
        await uow.commit()
    return {"Authorization": f"Bearer {runtime.tokens.issue_access(user.id)}"}
