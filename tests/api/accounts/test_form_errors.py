"""Errors a sign-up or sign-in form can show as they are: fields by name, every problem of a
request at once, and a distinct code for each kind of 401."""

from __future__ import annotations

import time

import httpx
from jose import jwt

from tests.conftest import TEST_JWT_SECRET, CreateUser

PASSWORD = "blue-Heron-42"


def fields_of(response: httpx.Response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for detail in response.json()["error"]["details"]:
        found.setdefault(detail["field"], []).append(detail["message"])
    return found


async def register(client: httpx.AsyncClient, **fields: object) -> httpx.Response:
    body: dict[str, object] = {
        "username": "alice",
        "email": "alice@example.com",
        "password": PASSWORD,
    }
    body.update(fields)
    return await client.post("/api/auth/register/", json=body)


async def test_the_confirmation_mismatch_names_its_field_without_pydantic_words(
    client: httpx.AsyncClient,
) -> None:
    response = await register(client, password_confirm=PASSWORD + "x")
    assert response.status_code == 422
    assert fields_of(response) == {"password_confirm": ["The two passwords do not match."]}
    assert "Value error" not in response.text


async def test_every_problem_of_a_registration_is_reported_at_once(
    client: httpx.AsyncClient,
) -> None:
    response = await register(
        client, email="not-an-email", password="password1", password_confirm="password2"
    )
    assert response.status_code == 422
    fields = fields_of(response)
    assert set(fields) == {"email", "password", "password_confirm"}
    assert any("too common" in message for message in fields["password"])


async def test_a_taken_username_and_a_taken_email_are_named_together(
    client: httpx.AsyncClient,
) -> None:
    assert (await register(client)).status_code == 201
    both = await register(client, username="ALICE", email="Alice@Example.com")
    assert both.status_code == 409
    assert set(fields_of(both)) == {"username", "email"}
    # Taken fields are named beside the invalid ones, in the one 422.
    mixed = await register(client, username="alice", password="12345678")
    assert mixed.status_code == 422
    assert set(fields_of(mixed)) == {"username", "email", "password"}


def _expired(user_id: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "type": "access",
        "jti": "a" * 32,
        "iat": now - 600,
        "exp": now - 5,
        "iss": "nexus",
    }
    return str(jwt.encode(claims, TEST_JWT_SECRET))


async def test_each_kind_of_401_has_its_own_code_and_challenge(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    missing = await client.get("/api/auth/me/")
    invalid = await client.get("/api/auth/me/", headers={"Authorization": "Bearer forged"})
    expired = await client.get(
        "/api/auth/me/", headers={"Authorization": f"Bearer {_expired(alice.user.id)}"}
    )
    wrong = await client.post("/api/auth/token/", json={"username": "alice", "password": "nope"})
    codes = {
        name: (response.status_code, response.json()["error"]["code"])
        for name, response in {
            "missing": missing,
            "invalid": invalid,
            "expired": expired,
            "wrong": wrong,
        }.items()
    }
    assert codes == {
        "missing": (401, "not_authenticated"),
        "invalid": (401, "token_invalid"),
        "expired": (401, "token_expired"),
        "wrong": (401, "credentials_invalid"),
    }
    assert missing.headers["www-authenticate"] == "Bearer"
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert invalid.headers["www-authenticate"] == (
        'Bearer error="invalid_token", error_description="Token is invalid."'
    )
    assert expired.headers["www-authenticate"] == (
        'Bearer error="invalid_token", error_description="Token has expired."'
    )


async def test_a_bad_token_is_a_401_on_public_routes_too(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    alice = await create_user("alice")
    expired = {"Authorization": f"Bearer {_expired(alice.user.id)}"}
    for path in ("/api/movies/", "/api/movies/trending/", "/api/genres/", "/api/ratings/"):
        assert (await client.get(path)).status_code != 401, path
        response = await client.get(path, headers=expired)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "token_expired"
        garbage = await client.get(path, headers={"Authorization": "Bearer x.y.z"})
        assert garbage.json()["error"]["code"] == "token_invalid", path
    assert (await client.get("/api/movies/", headers=alice.headers)).status_code == 200


async def test_the_error_schema_declares_every_extra_field(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    properties = schemas["ErrorInfo"]["properties"]
    assert {"existing_rating_id", "unknown_movie_ids", "constraint"} <= set(properties)
