"""Fixtures for the hostile-input suites: a user of the app's own database and their token."""

from __future__ import annotations

import pytest

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.bootstrap.runtime import build_token_codec
from app.bootstrap.settings import Settings
from app.domain.accounts.users import NewUser


async def signed_in_headers(settings: Settings, username: str = "fuzzer") -> dict[str, str]:
    """A real user in `settings`' database, signed in with a real access token. Created on a
    connection of its own, so that the app under test may run its lifespan on another loop."""
    assert settings.database_url is not None
    database = PostgresDatabase(create_engine(settings.database_url, pool_size=1, max_overflow=0))
    try:
        async with database.unit_of_work() as uow:
            user = await uow.users.add(
                NewUser(username=username, email=f"{username}@example.com", password_hash=None)
            )
            await uow.commit()
    finally:
        await database.dispose()
    return {"Authorization": f"Bearer {build_token_codec(settings).issue_access(user.id)}"}


@pytest.fixture
async def member_headers(settings: Settings) -> dict[str, str]:
    return await signed_in_headers(settings)
