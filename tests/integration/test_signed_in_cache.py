"""Signed-in requests read the account from Redis while the user's version is unchanged (a
change made behind the cache is not seen), yet the user's own writes, a deactivation and a
demotion take effect at once on a second instance sharing the Redis, and so do changes no user
made (a deleted movie). An invalidation Redis does not take is retried, and never served stale
by the process that wrote."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import update

from app.adapters.postgres.tables import users
from app.adapters.redis.active_users import track_invalidated_users
from app.bootstrap.settings import Settings
from app.cli.users import change_user
from app.domain.shared import cache_keys
from tests.conftest import CreateUser, client_for
from tests.support.social_data import insert_movies

StartApp = Callable[[Settings], Awaitable[FastAPI]]


@pytest.fixture
def shared(make_settings: Callable[..., Settings], redis_url: str, redis_prefix: str) -> Settings:
    return make_settings(redis_url=redis_url, redis_key_prefix=redis_prefix, model_check_seconds=0)


async def change_email_behind_the_cache(app: FastAPI, user_id: int, email: str) -> None:
    async with app.state.runtime.database.unit_of_work() as uow:
        statement = update(users).where(users.c.id == user_id).values(email=email)
        await uow.connection.execute(statement)
        await uow.commit()


async def email_of(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    response = await client.get("/api/auth/me/", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["email"])


async def test_the_account_comes_from_the_cache_until_the_user_writes(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    alice = await create_user("alice")
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert await email_of(on_b, alice.headers) == "alice@example.com"
        await change_email_behind_the_cache(a, alice.user.id, "unseen@example.com")
        assert await email_of(on_b, alice.headers) == "alice@example.com"  # no database read

        written = await on_a.patch("/api/profiles/me/", json={"bio": "hi"}, headers=alice.headers)
        assert written.status_code == 200, written.text
        assert await email_of(on_b, alice.headers) == "unseen@example.com"
        profile = (await on_b.get("/api/profiles/me/", headers=alice.headers)).json()
    assert profile["bio"] == "hi"


async def test_a_deactivation_takes_effect_at_once(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    b = await start_app(shared)
    bob = await create_user("bob")
    async with client_for(b) as on_b:
        assert await email_of(on_b, bob.headers) == "bob@example.com"  # now cached
        assert await change_user(shared, "BOB", "is_active", False) == "bob"
        refused = await on_b.get("/api/auth/me/", headers=bob.headers)
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "token_invalid"
        assert await change_user(shared, "bob", "is_active", True) == "bob"
        assert await email_of(on_b, bob.headers) == "bob@example.com"


async def test_a_demotion_takes_effect_at_once(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    b = await start_app(shared)
    editor = await create_user("editor", is_staff=True)
    async with client_for(b) as on_b:
        created = await on_b.post("/api/movies/", json={"title": "Kept"}, headers=editor.headers)
        assert created.status_code == 201, created.text
        assert await change_user(shared, "editor", "is_staff", False) == "editor"
        refused = await on_b.post("/api/movies/", json={"title": "No"}, headers=editor.headers)
    assert refused.status_code == 403


class DeletesRefused:
    """Makes a Redis client's DEL time out, as in a stall, until the block ends."""

    def __init__(self, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
        self._redis, self._monkeypatch = app.state.runtime.redis, monkeypatch
        self.pending = app.state.runtime.pending_deletes

    def __enter__(self) -> DeletesRefused:
        async def stalled(*keys: str) -> int:
            raise RedisTimeoutError("Timeout reading from socket")

        self._monkeypatch.setattr(self._redis, "delete", stalled)
        return self

    def __exit__(self, *exc: object) -> None:
        self._monkeypatch.undo()

    async def taken(self) -> None:
        for _ in range(100):
            if not len(self.pending):
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the failed deletes were never retried")


async def test_an_invalidation_redis_did_not_take_is_retried_and_never_served_stale(
    shared: Settings,
    start_app: StartApp,
    create_user: CreateUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    alice = await create_user("alice")
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert await email_of(on_a, alice.headers) == "alice@example.com"  # cached
        await change_email_behind_the_cache(a, alice.user.id, "unseen@example.com")
        with DeletesRefused(a, monkeypatch) as refused:
            written = await on_a.patch(
                "/api/profiles/me/", json={"bio": "x"}, headers=alice.headers
            )
            assert written.status_code == 200, written.text
            assert len(refused.pending) > 0
            # The writing process does not trust what Redis still holds.
            assert await email_of(on_a, alice.headers) == "unseen@example.com"
        await refused.taken()
        assert await email_of(on_b, alice.headers) == "unseen@example.com"


async def test_a_rating_whose_invalidation_redis_did_not_take_changes_the_next_list(
    shared: Settings,
    start_app: StartApp,
    create_user: CreateUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a = await start_app(shared)
    movie_ids = await insert_movies(a, 5)
    alice = await create_user("alice")
    async with client_for(a) as on_a:
        listed = await on_a.get("/api/movies/recommendations/", headers=alice.headers)
        assert listed.status_code == 200, listed.text
        first = listed.json()[0]["id"]
        assert first in movie_ids
        with DeletesRefused(a, monkeypatch):
            rated = await on_a.post(
                "/api/ratings/", json={"movie": first, "score": 5}, headers=alice.headers
            )
            assert rated.status_code == 201, rated.text
            again = await on_a.get("/api/movies/recommendations/", headers=alice.headers)
    assert first not in [item["id"] for item in again.json()]


async def test_a_change_no_user_made_reaches_their_cached_state_at_once(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    movie_ids = await insert_movies(a, 2)
    alice = await create_user("alice")
    editor = await create_user("editor", is_staff=True)
    async with client_for(a) as on_a, client_for(b) as on_b:
        assert await email_of(on_b, alice.headers) == "alice@example.com"  # cached
        await change_email_behind_the_cache(a, alice.user.id, "unseen@example.com")
        deleted = await on_a.delete(f"/api/movies/{movie_ids[0]}/", headers=editor.headers)
        assert deleted.status_code == 204, deleted.text
        # A deleted movie may take ratings with it: every cached account state is read again.
        assert await email_of(on_b, alice.headers) == "unseen@example.com"


async def test_a_rating_moves_the_cached_state_to_the_new_taste_without_a_read(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a, b = await start_app(shared), await start_app(shared)
    movie_ids = await insert_movies(a, 5)
    alice = await create_user("alice")
    async with client_for(a) as on_a, client_for(b) as on_b:
        listed = await on_b.get("/api/movies/recommendations/", headers=alice.headers)
        first = listed.json()[0]["id"]
        assert first in movie_ids
        await change_email_behind_the_cache(a, alice.user.id, "unseen@example.com")
        rated = await on_a.post(
            "/api/ratings/", json={"movie": first, "score": 5}, headers=alice.headers
        )
        assert rated.status_code == 201, rated.text
        # The account was not read again (the email changed behind the cache is not seen)...
        assert await email_of(on_b, alice.headers) == "alice@example.com"
        # ...yet the other instance keys the list by the new taste version at once.
        again = await on_b.get("/api/movies/recommendations/", headers=alice.headers)
    assert first not in [item["id"] for item in again.json()]


async def test_a_taste_change_after_an_account_change_elsewhere_reads_the_account_again(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a = await start_app(shared)
    alice = await create_user("alice")
    active_users = a.state.runtime.active_users
    redis = a.state.runtime.redis
    assert await active_users.active(alice.user.id) is not None  # cached
    track_invalidated_users()  # as the rating request's middleware does
    served = await active_users.active(alice.user.id)
    assert served is not None
    # Another instance changes the account and deletes its version, before the rating's move.
    await change_email_behind_the_cache(a, alice.user.id, "changed@example.com")
    await redis.delete(shared.redis_key_prefix + "cache:" + cache_keys.user_version(served.id))
    await active_users.taste_changed(served, served.taste_version + 1)
    reread = await active_users.active(alice.user.id)
    assert reread is not None and reread.email == "changed@example.com"


async def test_taste_moves_arriving_out_of_order_keep_the_newest(
    shared: Settings, start_app: StartApp, create_user: CreateUser
) -> None:
    a = await start_app(shared)
    alice = await create_user("alice")
    active_users = a.state.runtime.active_users
    cached = await active_users.active(alice.user.id)
    assert cached is not None
    await change_email_behind_the_cache(a, alice.user.id, "unseen@example.com")
    invalidated = track_invalidated_users()
    await active_users.taste_changed(cached, cached.taste_version + 2)
    await active_users.taste_changed(cached, cached.taste_version + 1)  # the older write, late
    assert invalidated == {alice.user.id}
    moved = await active_users.active(alice.user.id)
    assert moved is not None and moved.taste_version == cached.taste_version + 2
    assert moved.email == "alice@example.com"  # moved in the cache, not read again
