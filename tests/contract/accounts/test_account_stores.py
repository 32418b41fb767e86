"""One contract for the refresh token store and the account updates of the user repository, run
against the in-memory fakes and against PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.domain.accounts.tokens import RefreshRecord
from app.domain.accounts.users import NewUser
from app.domain.shared.errors import Conflict
from app.domain.shared.ports import Database
from tests.support.fakes import FakeDatabase

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=["fake", "postgres"])
async def database(
    request: pytest.FixtureRequest, database_url_for_test: str
) -> AsyncIterator[Database]:
    if request.param == "fake":
        yield FakeDatabase()
        return
    engine = create_engine(database_url_for_test)
    try:
        yield PostgresDatabase(engine)
    finally:
        await engine.dispose()


async def two_users(database: Database) -> tuple[int, int]:
    async with database.unit_of_work() as uow:
        alice = await uow.users.add(NewUser("alice", "alice@example.com", "h1"))
        bob = await uow.users.add(NewUser("bob", "bob@example.com", "h2"))
        await uow.commit()
    return alice.id, bob.id


def record(user_id: int, family: str, name: str) -> RefreshRecord:
    return RefreshRecord(
        jti_hash=name.ljust(64, "0"),
        family_id=family,
        user_id=user_id,
        issued_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )


async def test_records_are_kept_and_spent_once(database: Database) -> None:
    alice, _ = await two_users(database)
    family = uuid.uuid4().hex
    async with database.unit_of_work() as uow:
        await uow.refresh_tokens.add(record(alice, family, "a"))
        await uow.commit()
    async with database.unit_of_work() as uow:
        found = await uow.refresh_tokens.get_for_update("a".ljust(64, "0"))
        assert found is not None
        assert (found.family_id, found.user_id, found.used_at) == (family, alice, None)
        assert found.expires_at == NOW + timedelta(days=7)
        assert await uow.refresh_tokens.get_for_update("z".ljust(64, "0")) is None
        await uow.refresh_tokens.mark_used(found.jti_hash, replaced_by="b" * 64, at=NOW)
        await uow.refresh_tokens.mark_used(found.jti_hash, replaced_by="c" * 64, at=NOW)
        await uow.commit()
    async with database.unit_of_work() as uow:
        spent = await uow.refresh_tokens.get_for_update("a".ljust(64, "0"))
    assert spent is not None and spent.used_at == NOW and spent.replaced_by == "b" * 64


async def test_nothing_is_kept_without_commit(database: Database) -> None:
    alice, _ = await two_users(database)
    async with database.unit_of_work() as uow:
        await uow.refresh_tokens.add(record(alice, uuid.uuid4().hex, "a"))
    async with database.unit_of_work() as uow:
        assert await uow.refresh_tokens.get_for_update("a".ljust(64, "0")) is None


async def test_revoking_a_family_or_a_user(database: Database) -> None:
    alice, bob = await two_users(database)
    family_one, family_two, bobs = (uuid.uuid4().hex for _ in range(3))
    async with database.unit_of_work() as uow:
        for user, family, name in [
            (alice, family_one, "a1"),
            (alice, family_one, "a2"),
            (alice, family_two, "a3"),
            (bob, bobs, "b1"),
        ]:
            await uow.refresh_tokens.add(record(user, family, name))
        assert await uow.refresh_tokens.revoke_family(family_one, at=NOW) == 2
        assert await uow.refresh_tokens.revoke_family(family_one, at=NOW) == 0
        assert await uow.refresh_tokens.revoke_family("not-a-family", at=NOW) == 0
        assert await uow.refresh_tokens.revoke_user(alice, at=NOW) == 1
        await uow.commit()
    async with database.unit_of_work() as uow:
        states = {
            name: (await uow.refresh_tokens.get_for_update(name.ljust(64, "0"))).revoked_at  # type: ignore[union-attr]
            for name in ("a1", "a2", "a3", "b1")
        }
    assert states == {"a1": NOW, "a2": NOW, "a3": NOW, "b1": None}


async def test_update_account(database: Database) -> None:
    alice, _ = await two_users(database)
    async with database.unit_of_work() as uow:
        updated = await uow.users.update_account(alice, password_hash="h3")
        assert updated is not None and updated.password_hash == "h3"
        assert updated.email == "alice@example.com"
        moved = await uow.users.update_account(alice, email="Alice@Example.org")
        assert moved is not None and moved.email == "Alice@Example.org"
        assert await uow.users.update_account(999_999, email="x@example.com") is None
        await uow.commit()
    async with database.unit_of_work() as uow:
        with pytest.raises(Conflict):
            await uow.users.update_account(alice, email="BOB@example.com")


async def test_a_family_started_with_its_first_token(database: Database) -> None:
    alice, _ = await two_users(database)
    family = uuid.uuid4().hex
    later = replace(record(alice, family, "b"), issued_at=NOW + timedelta(days=1))
    async with database.unit_of_work() as uow:
        await uow.refresh_tokens.lock_sessions(alice)
        await uow.refresh_tokens.add(later)
        await uow.refresh_tokens.add(record(alice, family, "a"))
        await uow.commit()
    async with database.unit_of_work() as uow:
        assert await uow.refresh_tokens.family_started_at(family) == NOW
        assert await uow.refresh_tokens.family_started_at(uuid.uuid4().hex) is None
        assert await uow.refresh_tokens.family_started_at("not-a-family") is None
