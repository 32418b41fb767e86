"""`CheckReadiness`: each dependency is `ok` only when it answers in time."""

from __future__ import annotations

import asyncio

import pytest

from app.domain.shared import readiness
from app.domain.shared.readiness import CheckReadiness
from tests.support.fakes import FakeDatabase, RecordingCache


class HangingCache(RecordingCache):
    async def ping(self) -> bool:
        await asyncio.sleep(60)
        return True


async def test_both_answer() -> None:
    checks = await CheckReadiness(FakeDatabase(), RecordingCache())()
    assert checks == {"database": "ok", "cache": "ok"}


async def test_a_dead_database_and_a_hanging_cache_are_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readiness, "PROBE_TIMEOUT_SECONDS", 0.01)
    database = FakeDatabase()
    database.reachable = False
    checks = await CheckReadiness(database, HangingCache())()
    assert checks == {"database": "unavailable", "cache": "unavailable"}
