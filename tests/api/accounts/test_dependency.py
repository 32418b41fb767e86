"""The bearer dependency shared by every protected route."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.routers.deps import CurrentUser
from tests.conftest import CreateUser, client_for


async def test_current_user_from_a_valid_token(app: FastAPI, create_user: CreateUser) -> None:
    @app.get("/test-only/whoami")
    async def whoami(user: CurrentUser) -> dict[str, str]:
        return {"username": user.username}

    alice = await create_user("alice")
    async with client_for(app) as http:
        ok = await http.get("/test-only/whoami", headers=alice.headers)
        anonymous = await http.get("/test-only/whoami")
        garbage = await http.get("/test-only/whoami", headers={"Authorization": "Bearer x.y.z"})
        wrong_scheme = await http.get("/test-only/whoami", headers={"Authorization": "Basic abc"})
    assert ok.status_code == 200 and ok.json() == {"username": "alice"}
    for response in (anonymous, wrong_scheme):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "not_authenticated"
    # A token that was sent but refused says so (RFC 6750's `invalid_token`).
    assert garbage.status_code == 401
    assert garbage.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert garbage.json()["error"]["code"] == "token_invalid"


async def test_client_fixture_is_isolated(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    # Every test has its own database: the user of the test above is not here.
    await create_user("alice")
