"""Token checks, refresh rotation with reuse detection, sign-out and revocation across apps."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jose import jwt
from sqlalchemy import text

from app.bootstrap.settings import Settings
from tests.conftest import TEST_JWT_SECRET, client_for

PASSWORD = "blue-Heron-42"
StartApp = Callable[[Settings], Awaitable[FastAPI]]


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims(user_id: int, token_type: str = "access", **changes: object) -> dict:
    now = int(time.time())
    values = {
        "sub": str(user_id),
        "type": token_type,
        "jti": "a" * 32,
        "iat": now,
        "exp": now + 600,
        "iss": "nexus",
    }
    values.update(changes)
    return values


async def signed_up(client: httpx.AsyncClient, username: str = "alice") -> dict:
    await client.post(
        "/api/auth/register/",
        json={"username": username, "email": f"{username}@example.com", "password": PASSWORD},
    )
    response = await client.post(
        "/api/auth/token/", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get("/api/auth/me/", headers={"Authorization": f"Bearer {token}"})


def assert_401(response: httpx.Response) -> None:
    """Refused: a token that was sent is `invalid_token` (expired or not); none is a bare
    challenge."""
    assert response.status_code == 401, response.text
    code = response.json()["error"]["code"]
    challenge = response.headers["www-authenticate"]
    if code == "not_authenticated":
        assert challenge == "Bearer"
    else:
        assert code in {"token_invalid", "token_expired"}, code
        assert challenge.startswith('Bearer error="invalid_token", error_description="')


async def test_forged_and_mismatched_tokens_are_rejected(client: httpx.AsyncClient) -> None:
    tokens = await signed_up(client)
    user_id = (await me(client, tokens["access"])).json()["id"]
    bob = await signed_up(client, "bob")
    bob_id = (await me(client, bob["access"])).json()["id"]
    # Alice's token, its payload rewritten to name Bob (who exists): the signature no longer fits.
    header, _payload, signature = tokens["access"].split(".")
    tampered = b64({**claims(bob_id)})
    forged = {
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims(user_id))}.",
        "tampered payload": f"{header}.{tampered}.{signature}",
        "other secret": jwt.encode(claims(user_id), "another-secret-" + "y" * 40),
        "other HMAC": jwt.encode(claims(user_id), TEST_JWT_SECRET, algorithm="HS512"),
        "expired": jwt.encode(claims(user_id, exp=int(time.time()) - 5), TEST_JWT_SECRET),
        "wrong issuer": jwt.encode(claims(user_id, iss="evil"), TEST_JWT_SECRET),
        "refresh as access": tokens["refresh"],
        "garbage": "not-a-token",
    }
    for name, token in forged.items():
        response = await me(client, token)
        assert response.status_code == 401, name
        assert_401(response)
    # The reverse: an access token is not a refresh token.
    assert_401(await client.post("/api/auth/token/refresh/", json={"refresh": tokens["access"]}))
    for header_value in ("Bearer", "Token abc", tokens["access"]):
        assert_401(await client.get("/api/auth/me/", headers={"Authorization": header_value}))


async def test_hmac_signed_with_the_public_key_is_rejected_under_rs256(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = make_settings(
        jwt_algorithm="RS256", jwt_private_key=private_pem, jwt_public_key=public_pem
    )
    app = await start_app(settings)
    async with client_for(app) as client:
        tokens = await signed_up(client)
        good = await me(client, tokens["access"])
        assert good.status_code == 200
        user_id = good.json()["id"]
        # The classic confusion: HS256 with the (public) verifying key as the HMAC secret.
        confused = f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims(user_id))}"
        signature = hmac.new(public_pem.encode(), confused.encode(), hashlib.sha256).digest()
        forged = f"{confused}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
        assert_401(await me(client, forged))
        assert_401(await me(client, jwt.encode(claims(user_id), TEST_JWT_SECRET)))


async def test_deleted_and_deactivated_users_lose_access(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice = await signed_up(client, "alice")
    bob = await signed_up(client, "bob")
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(
            text("UPDATE users SET is_active = false WHERE username='bob'")
        )
        await uow.connection.execute(text("DELETE FROM users WHERE username = 'alice'"))
        await uow.commit()
    for tokens in (alice, bob):
        assert_401(await me(client, tokens["access"]))
        assert_401(
            await client.post("/api/auth/token/refresh/", json={"refresh": tokens["refresh"]})
        )


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/token/refresh/", json={"refresh": token})


@pytest.fixture
async def no_grace(make_settings: Callable[..., Settings], start_app: StartApp) -> FastAPI:
    return await start_app(make_settings(refresh_reuse_grace_seconds=0))


async def test_refresh_rotates_and_reuse_revokes_the_family(no_grace: FastAPI) -> None:
    async with client_for(no_grace) as client:
        first = await signed_up(client)
        second = await refresh(client, first["refresh"])
        assert second.status_code == 200
        pair = second.json()
        assert pair["refresh"] != first["refresh"] and (await me(client, pair["access"])).is_success
        third = (await refresh(client, pair["refresh"])).json()

        # The first token, already spent, shows up again: stolen. The whole family goes.
        assert_401(await refresh(client, first["refresh"]))
        assert_401(await refresh(client, third["refresh"]))
        # Another sign-in (another family) is untouched.
        other = await client.post(
            "/api/auth/token/", json={"username": "alice", "password": PASSWORD}
        )
        assert (await refresh(client, other.json()["refresh"])).status_code == 200


async def test_two_tabs_refreshing_at_once_are_tolerated(client: httpx.AsyncClient) -> None:
    # The default grace period is a few seconds.
    first = await signed_up(client)
    tab_one = await refresh(client, first["refresh"])
    tab_two = await refresh(client, first["refresh"])
    assert tab_one.status_code == tab_two.status_code == 200
    for pair in (tab_one.json(), tab_two.json()):
        assert (await refresh(client, pair["refresh"])).status_code == 200


async def test_logout_revokes_the_family(client: httpx.AsyncClient) -> None:
    first = await signed_up(client)
    rotated = (await refresh(client, first["refresh"])).json()
    response = await client.post("/api/auth/logout/", json={"refresh": rotated["refresh"]})
    assert response.status_code == 204 and response.content == b""
    assert_401(await refresh(client, rotated["refresh"]))
    assert_401(await refresh(client, first["refresh"]))
    again = await client.post("/api/auth/logout/", json={"refresh": rotated["refresh"]})
    assert again.status_code == 204
    assert_401(await client.post("/api/auth/logout/", json={"refresh": "garbage"}))
    # No token in the body (and no refresh cookie): no credentials, a 401.
    assert_401(await client.post("/api/auth/logout/", json={}))


async def test_two_apps_see_each_others_revocations(
    settings: Settings, start_app: StartApp
) -> None:
    one, two = await start_app(settings), await start_app(settings)
    async with client_for(one) as first, client_for(two) as second:
        tokens = await signed_up(first)
        rotated = (await refresh(second, tokens["refresh"])).json()
        assert (
            await first.post("/api/auth/logout/", json={"refresh": rotated["refresh"]})
        ).status_code == 204
        assert_401(await refresh(second, rotated["refresh"]))
