"""A refresh racing a sign-out or a password change on real PostgreSQL: whichever commits first,
no token issued by the refresh outlives the revocation."""

from __future__ import annotations

import asyncio

import httpx

from tests.api.accounts.test_accounts import PASSWORD, register

TRIALS = 50


async def sign_in(client: httpx.AsyncClient, password: str) -> dict[str, str]:
    body = {"username": "alice", "password": password}
    response = await client.post("/api/auth/token/", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def survives(client: httpx.AsyncClient, refresh: httpx.Response) -> bool:
    """Whether the racing refresh got a token that still buys a new pair afterwards."""
    if refresh.status_code != 200:
        assert refresh.status_code == 401, refresh.text
        return False
    body = {"refresh": refresh.json()["refresh"]}
    again = await client.post("/api/auth/token/refresh/", json=body)
    assert again.status_code in (200, 401), again.text
    return again.status_code == 200


async def test_no_refresh_survives_a_racing_sign_out(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    survivors = 0
    for _ in range(TRIALS):
        token = (await sign_in(client, PASSWORD))["refresh"]
        refreshed, signed_out = await asyncio.gather(
            client.post("/api/auth/token/refresh/", json={"refresh": token}),
            client.post("/api/auth/logout/", json={"refresh": token}),
        )
        assert signed_out.status_code == 204, signed_out.text
        survivors += await survives(client, refreshed)
    assert survivors == 0


async def test_no_refresh_survives_a_racing_password_change(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    passwords = [PASSWORD, "green-Otter-77"]
    survivors = 0
    for trial in range(TRIALS):
        current, new = passwords[trial % 2], passwords[(trial + 1) % 2]
        session = await sign_in(client, current)
        refreshed, changed = await asyncio.gather(
            client.post("/api/auth/token/refresh/", json={"refresh": session["refresh"]}),
            client.patch(
                "/api/auth/me/",
                json={"current_password": current, "new_password": new},
                headers={"Authorization": f"Bearer {session['access']}"},
            ),
        )
        assert changed.status_code == 200, changed.text
        survivors += await survives(client, refreshed)
    assert survivors == 0


async def test_no_sign_in_with_the_old_password_survives_a_racing_change(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "alice")
    passwords = [PASSWORD, "green-Otter-77"]
    survivors = 0
    for trial in range(TRIALS):
        current, new = passwords[trial % 2], passwords[(trial + 1) % 2]
        session = await sign_in(client, current)
        signed_in, changed = await asyncio.gather(
            client.post("/api/auth/token/", json={"username": "alice", "password": current}),
            client.patch(
                "/api/auth/me/",
                json={"current_password": current, "new_password": new},
                headers={"Authorization": f"Bearer {session['access']}"},
            ),
        )
        assert changed.status_code == 200, changed.text
        survivors += await survives(client, signed_in)
    assert survivors == 0
