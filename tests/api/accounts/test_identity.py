"""Usernames compare in one canonical form; look-alikes, weak passwords and schema names refused."""

from __future__ import annotations

import httpx
import pytest

from tests.api.accounts.test_accounts import PASSWORD, register, sign_in


@pytest.mark.parametrize(
    ("registered", "typed"),
    [
        ("\u0130zmircgv", "\u0130zmircgv"),  # PostgreSQL's lower() kept the dotted capital I
        ("\u0130zmircgv", "\u0130ZMIRCGV"),
        ("stra\u00dfepsn", "STRASSEPSN"),  # lower() kept the sharp s, so this found nobody
    ],
)
async def test_sign_in_finds_the_name_in_its_canonical_form(
    client: httpx.AsyncClient, registered: str, typed: str
) -> None:
    assert (await register(client, registered, email="u@example.com")).status_code == 201
    tokens = await sign_in(client, typed)
    me = await client.get("/api/auth/me/", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert me.json()["username"] == registered
    profile = await client.get(f"/api/profiles/{typed}/")
    assert profile.status_code == 200 and profile.json()["username"] == registered


async def test_look_alikes_do_not_register_beside_the_name(client: httpx.AsyncClient) -> None:
    assert (await register(client, "victim")).status_code == 201
    same_when_folded = ["\uff56ictim", "VICTIM"]  # fullwidth v
    look_alikes = ["v\u0456ctim", "\u1d20ictim"]  # Cyrillic i; Latin small capital V
    for name in same_when_folded:
        response = await register(client, name, email=f"{len(name)}{name}@example.com")
        assert response.status_code == 409, name
    for name in look_alikes:
        response = await register(client, name, email="other@example.com")
        assert response.status_code == 422, name
        assert response.json()["error"]["details"][0]["field"] == "username"
    folded = await register(client, "STRASSE", email="s1@example.com")
    sharp = await register(client, "stra\u00dfe", email="s2@example.com")
    assert folded.status_code == 201 and sharp.status_code == 409


@pytest.mark.parametrize("name", ["stats", "Search", "My_Playlists", "shared"])
async def test_names_of_routes_are_reserved(client: httpx.AsyncClient, name: str) -> None:
    response = await register(client, name)
    assert response.status_code == 422
    assert "reserved" in response.json()["error"]["message"]


@pytest.mark.parametrize("password", ["carol123", "abcdabcd", "Summer2024!"])
async def test_guessable_passwords_are_refused_with_a_reason(
    client: httpx.AsyncClient, password: str
) -> None:
    response = await register(client, "carol", password=password)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "too easy to guess" in message and len(message) > len("too easy to guess. ") + 10


async def test_a_new_password_is_judged_against_the_users_own_fields(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "carol", first_name="Hatter", last_name="Liddell")
    headers = {"Authorization": f"Bearer {(await sign_in(client, 'carol'))['access']}"}
    response = await client.patch(
        "/api/auth/me/",
        json={"new_password": "Hatterliddell", "current_password": PASSWORD},
        headers=headers,
    )
    assert response.status_code == 422
    assert "your username, email or name" in response.json()["error"]["message"]


async def test_no_conflict_names_a_constraint_table_or_column(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    for response in (
        await register(client, "bob", email="ALICE@example.com"),
        await register(client, "ALICE", email="other@example.com"),
    ):
        assert response.status_code == 409
        text = response.text.lower()
        assert not any(
            word in text for word in ("uq_", "constraint", "users", "lower", "_canonical")
        )
