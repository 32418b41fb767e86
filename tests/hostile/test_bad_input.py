"""Hand-written hostile input against every operation in the schema: each answer is a 2xx, or a
4xx with the project's error body; never a 5xx unless the operation documents it (the TMDb
proxy's 502/503/504). Each test walks every operation and reports all offenders at once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import CreateUser
from tests.hostile.openapi_operations import Operation, operations_where

SEARCH_TEXTS = [
    "' OR 1=1 --",
    '"; DROP TABLE movies; --',
    "%_\\%",
    "\\x00\\'",
    "')) UNION SELECT password_hash FROM users --",
    "Amélie 東京物語 Ëñçödîñg ☃ 🎬",
    "\u202egnp.exe",
    "ǅ" * 300,
    "x" * 5_000,
]
HOSTILE_NUMBERS = ["-1", "0", "abc", "1e309", "NaN", str(10**30), "9223372036854775808", "1.5"]
HOSTILE_IDS = ["-1", "abc", "99999999999999999999999", "1.5", "%00", "..%2F"]
MALFORMED_BODIES = [
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b"[" * 50_000 + b"]" * 50_000,
    b'{"name": "\xff\xfe\xfa"}',
    b"\xc3\x28",
    b'{"a": 1',
    b"null",
    b"[]",
    b'"just a string"',
]
# A JSON object of unknown keys: a PATCH may rightly ignore it, but nothing may break on it.
ODD_OBJECT = json.dumps({"\u0000": "\u0000", "name": "\ud800"}).encode()


class Offences:
    """Every answer that broke the rule, so one run lists them all."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(
        self, operation: Operation, response: httpx.Response, *, must_fail: bool = False
    ) -> None:
        where = f"{response.request.method} {response.request.url} -> {response.status_code}"
        status = response.status_code
        if status >= 500 and status not in operation.server_errors:
            self.found.append(f"{where}: {response.text[:200]}")
        elif must_fail and status < 400:
            self.found.append(f"{where}: accepted")
        elif status >= 400:
            try:
                body = response.json()
            except ValueError:
                self.found.append(f"{where}: not JSON: {response.text[:100]}")
                return
            if set(body) != {"error"} or not {"code", "message", "details"} <= set(body["error"]):
                self.found.append(f"{where}: not the error body: {response.text[:200]}")

    def assert_none(self) -> None:
        assert not self.found, "\n".join(self.found)


@pytest.fixture
async def member(create_user: CreateUser) -> dict[str, str]:
    return (await create_user("hostile")).headers


async def test_search_fields_take_sql_metacharacters_and_unicode(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    offences = Offences()
    for operation in operations_where("get"):
        for field in operation.query_parameters("string"):
            for text in SEARCH_TEXTS:
                for headers in ({}, member):
                    response = await client.get(
                        operation.url(), params={field: text}, headers=headers
                    )
                    offences.check(operation, response)
    offences.assert_none()


async def test_numbers_huge_negative_and_not_numbers(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    offences = Offences()
    for operation in operations_where("get"):
        for field in operation.query_parameters("integer", "number"):
            for value in HOSTILE_NUMBERS:
                response = await client.get(operation.url(), params={field: value}, headers=member)
                offences.check(operation, response)
    offences.assert_none()


async def test_duplicate_query_parameters(
    client: httpx.AsyncClient, member: dict[str, str]
) -> None:
    offences = Offences()
    for operation in operations_where("get"):
        fields = operation.query_parameters("string", "integer", "number", "boolean")
        if fields:
            params: list[tuple[str, str | int | float | bool | None]] = [
                (field, value) for field in fields for value in ("1", "2", "")
            ]
            offences.check(
                operation, await client.get(operation.url(), params=params, headers=member)
            )
    offences.assert_none()


async def test_bad_ids_in_the_path(client: httpx.AsyncClient, member: dict[str, str]) -> None:
    offences = Offences()
    for operation in operations_where():
        for value in HOSTILE_IDS if operation.path_parameters else ():
            url = operation.url(**dict.fromkeys(operation.path_parameters, value))
            for headers in ({}, member):
                response = await client.request(operation.method.upper(), url, headers=headers)
                offences.check(operation, response, must_fail=True)
    offences.assert_none()


async def test_malformed_bodies(client: httpx.AsyncClient, member: dict[str, str]) -> None:
    offences = Offences()
    json_headers = {**member, "Content-Type": "application/json"}
    for operation in operations_where(body=True):
        method, url = operation.method.upper(), operation.url()
        for body in MALFORMED_BODIES:
            response = await client.request(method, url, content=body, headers=json_headers)
            offences.check(operation, response, must_fail=True)
        odd = await client.request(method, url, content=ODD_OBJECT, headers=json_headers)
        offences.check(operation, odd)
        form = {**member, "Content-Type": "application/x-www-form-urlencoded"}
        offences.check(operation, await client.request(method, url, content=b"x=1", headers=form))
    offences.assert_none()


async def test_oversize_bodies_get_413(client: httpx.AsyncClient, member: dict[str, str]) -> None:
    huge = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    headers = {**member, "Content-Type": "application/json"}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit holds when streaming
        for _ in range(40):
            yield b"x" * 65_536

    wrong = []
    for operation in operations_where(body=True):
        method, url = operation.method.upper(), operation.url()
        declared = await client.request(method, url, content=huge, headers=headers)
        streamed = await client.request(method, url, content=chunks(), headers=headers)
        for response in (declared, streamed):
            if (
                response.status_code != 413
                or response.json()["error"]["code"] != "payload_too_large"
            ):
                wrong.append(f"{operation.label}: {response.status_code} {response.text[:100]}")
    assert not wrong, "\n".join(wrong)
