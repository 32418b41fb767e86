"""The OpenAPI document: the security schemes make Swagger's Authorize button work, every
protected operation declares them, and errors are documented where they occur."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

SCHEMES = {"OAuth2PasswordBearer", "HTTPBearer"}


async def test_the_security_schemes(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/auth/token/"
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    token = schema["paths"]["/api/auth/token/"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(token)


async def test_every_protected_operation_declares_security_and_401(app: FastAPI) -> None:
    """Walk every `/api/` operation with a bad token: each one that reads the token (answers 401,
    which since a sent token is checked everywhere is every one) must declare both schemes and
    its 401; each one declaring a scheme must document 401."""
    # Only the 401s matter here: another operation's own failure must not stop the walk.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await _walk(client)


async def _walk(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    bad_token = {"Authorization": "Bearer not-a-token"}
    protected = 0
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in operations.items():
            body: dict[str, object] | None = {} if method in ("post", "put", "patch") else None
            response = await client.request(method, url, headers=bad_token, json=body)
            declared = {name for item in operation.get("security", []) for name in item}
            if response.status_code == 401:
                protected += 1
                assert declared == SCHEMES, (method, path)
            if declared:
                assert declared == SCHEMES, (method, path)
                assert "401" in operation["responses"], (method, path)
    assert protected >= 2  # at least GET and PATCH /api/auth/me/


async def test_error_responses_where_they_occur(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    expected = {
        ("/api/auth/register/", "post"): {"409", "422", "429"},
        ("/api/auth/token/", "post"): {"401", "422", "429"},
        ("/api/auth/token/refresh/", "post"): {"401", "422", "429"},
        ("/api/auth/logout/", "post"): {"401", "422", "429"},
        ("/api/auth/me/", "get"): {"401", "429"},
        ("/api/auth/me/", "patch"): {"401", "409", "422", "429"},
    }
    for (path, method), statuses in expected.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, method)
        for status in statuses:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}
    # Every operation under /api/ can be rate limited.
    for path, operations in paths.items():
        if path.startswith("/api/"):
            for method, operation in operations.items():
                assert "429" in operation["responses"], (path, method)
