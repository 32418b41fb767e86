"""Registration, sign-in and account changes over HTTP."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, text

from app.adapters.postgres.tables import users
from app.adapters.security.passwords import Argon2PasswordHasher
from tests.conftest import CreateUser

PASSWORD = "blue-Heron-42"


async def register(client: httpx.AsyncClient, username: str = "alice", **fields: object):
    body: dict[str, object] = {
        "username": username,
        "email": f"{username}@example.com",
        "password": PASSWORD,
    }
    body.update(fields)
    return await client.post("/api/auth/register/", json=body)


async def count_users(app: FastAPI) -> int:
    async with app.state.runtime.database.unit_of_work() as uow:
        return int((await uow.connection.execute(select(func.count()).select_from(users))).one()[0])


async def test_register_answers_in_the_original_shape(client: httpx.AsyncClient) -> None:
    response = await register(client, first_name="Alice", last_name="Liddell")
    assert response.status_code == 201
    body = response.json()
    assert body["message"]
    assert set(body["user"]) == {
        "id",
        "username",
        "email",
        "first_name",
        "last_name",
        "date_joined",
    }
    assert body["user"]["username"] == "alice" and body["user"]["first_name"] == "Alice"
    assert "password" not in response.text and "argon2" not in response.text


async def test_duplicates_are_409_regardless_of_case(client: httpx.AsyncClient) -> None:
    assert (await register(client, "alice")).status_code == 201
    same_name = await register(client, "ALICE", email="other@example.com")
    same_email = await register(client, "bob", email="Alice@Example.com")
    for response in (same_name, same_email):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "conflict"
    assert same_name.json()["error"]["details"][0]["field"] == "username"
    assert same_email.json()["error"]["details"][0]["field"] == "email"


async def test_weak_passwords_and_bad_fields_are_422(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    cases = [
        {"password": "12345678"},  # the original API accepted this one
        {"password": "short1!"},
        {"password": "carolcarol", "username": "carolcarol"},
        {"password": PASSWORD, "password_confirm": PASSWORD + "x"},
        {"email": "not-an-email"},
        {"username": "no spaces allowed"},
        {"username": "ab"},
    ]
    for fields in cases:
        username = str(fields.pop("username", "carol"))
        response = await register(client, username, **fields)
        assert response.status_code == 422, fields
        assert response.json()["error"]["code"] == "validation_error"
    assert await count_users(app) == 0


async def test_privileged_fields_cannot_be_set(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await register(client, "mallory", is_staff=True, id=1)
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["error"]["details"]} == {"is_staff", "id"}
    assert await count_users(app) == 0


async def test_token_from_json_and_from_the_oauth2_form(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    by_json = await client.post(
        "/api/auth/token/", json={"username": "alice", "password": PASSWORD}
    )
    by_form = await client.post(
        "/api/auth/token/",
        data={"grant_type": "password", "username": "alice@example.com", "password": PASSWORD},
    )
    for response in (by_json, by_form):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
        assert body["access"] == body["access_token"] and body["refresh"] == body["refresh_token"]
        me = await client.get(
            "/api/auth/me/", headers={"Authorization": f"Bearer {body['access']}"}
        )
        assert me.status_code == 200 and me.json()["username"] == "alice"


async def test_unknown_user_and_wrong_password_look_the_same(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    wrong = await client.post("/api/auth/token/", json={"username": "alice", "password": "nope"})
    unknown = await client.post("/api/auth/token/", json={"username": "zed", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == "Bearer"


async def test_token_request_errors(client: httpx.AsyncClient) -> None:
    missing = await client.post("/api/auth/token/", json={"username": "alice"})
    broken = await client.post(
        "/api/auth/token/", content=b"{", headers={"Content-Type": "application/json"}
    )
    unsupported = await client.post(
        "/api/auth/token/", content=b"x", headers={"Content-Type": "text/plain"}
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "password"
    assert broken.status_code == 422
    assert broken.json()["error"]["details"] == [
        {
            "field": "body",
            "message": "Not valid JSON at character 1: Expecting property name enclosed in "
            "double quotes.",
            "type": "json_invalid",
        }
    ]
    assert unsupported.status_code == 415


async def test_a_body_cut_short_is_named_as_the_body_not_as_a_character_offset(
    client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    rater = await create_user("cut-short")
    for path, headers in [("/api/auth/register/", {}), ("/api/ratings/", rater.headers)]:
        answer = await client.post(
            path,
            content=b'{"movie": 1,',
            headers={**headers, "Content-Type": "application/json"},
        )
        assert answer.status_code == 422, path
        error = answer.json()["error"]
        assert error["message"] == "Invalid request: body."
        assert error["details"] == [
            {
                "field": "body",
                "message": "Not valid JSON at character 12: Expecting property name enclosed in "
                "double quotes.",
                "type": "json_invalid",
            }
        ]


async def test_inactive_and_passwordless_users_cannot_sign_in(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    await register(client, "alice")
    await create_user("imported")  # no password hash: cannot sign in
    async with app.state.runtime.database.unit_of_work() as uow:
        await uow.connection.execute(text("UPDATE users SET is_active = false"))
        await uow.commit()
    for username in ("alice", "imported"):
        response = await client.post(
            "/api/auth/token/", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 401


async def sign_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict:
    response = await client.post(
        "/api/auth/token/", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_change_email_and_password(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    await register(client, "bob")
    tokens = await sign_in(client, "alice")
    other_device = await sign_in(client, "alice")
    headers = {"Authorization": f"Bearer {tokens['access']}"}

    without_password = await client.patch(
        "/api/auth/me/", json={"email": "a@example.org"}, headers=headers
    )
    assert without_password.status_code == 422
    assert without_password.json()["error"]["details"][0]["field"] == "current_password"
    wrong_password = await client.patch(
        "/api/auth/me/", json={"email": "a@example.org", "current_password": "x"}, headers=headers
    )
    assert wrong_password.status_code == 403
    taken = await client.patch(
        "/api/auth/me/",
        json={"email": "BOB@example.com", "current_password": PASSWORD},
        headers=headers,
    )
    assert taken.status_code == 409
    moved = await client.patch(
        "/api/auth/me/",
        json={"email": "a@example.org", "current_password": PASSWORD},
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json()["email"] == "a@example.org"

    new = "green-Otter-77"
    no_current = await client.patch("/api/auth/me/", json={"new_password": new}, headers=headers)
    wrong_current = await client.patch(
        "/api/auth/me/", json={"new_password": new, "current_password": "x"}, headers=headers
    )
    weak = await client.patch(
        "/api/auth/me/",
        json={"new_password": "password1", "current_password": PASSWORD},
        headers=headers,
    )
    for response in (no_current, weak):
        assert response.status_code == 422
    assert wrong_current.status_code == 403
    assert wrong_current.json()["error"]["message"] == "Current password is incorrect."
    changed = await client.patch(
        "/api/auth/me/", json={"new_password": new, "current_password": PASSWORD}, headers=headers
    )
    assert changed.status_code == 200

    # Every refresh family of the user is revoked: both devices must sign in again.
    for session in (tokens, other_device):
        refresh = await client.post(
            "/api/auth/token/refresh/", json={"refresh": session["refresh"]}
        )
        assert refresh.status_code == 401
    assert (
        await client.post("/api/auth/token/", json={"username": "alice", "password": PASSWORD})
    ).status_code == 401
    await sign_in(client, "alice", new)


async def test_patch_me_refuses_privileged_fields(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    headers = {"Authorization": f"Bearer {(await sign_in(client, 'alice'))['access']}"}
    response = await client.patch("/api/auth/me/", json={"is_staff": True}, headers=headers)
    assert response.status_code == 422
    assert (await client.get("/api/auth/me/")).status_code == 401


async def test_an_outdated_hash_is_replaced_on_sign_in(
    app: FastAPI, client: httpx.AsyncClient, create_user: CreateUser
) -> None:
    older = Argon2PasswordHasher(time_cost=1, memory_kib=512, parallelism=1)
    old_hash = await older.hash(PASSWORD)
    current = app.state.runtime.passwords
    assert current.needs_update(old_hash)
    await create_user("alice", password_hash=old_hash)

    await sign_in(client, "alice")

    async with app.state.runtime.database.unit_of_work() as uow:
        stored = await uow.users.get_by_login("alice")
    assert stored is not None and stored.password_hash != old_hash
    assert not current.needs_update(stored.password_hash)
    await sign_in(client, "alice")
