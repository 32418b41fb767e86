"""Tokens that are not valid yet. The other token attacks of the security suite live beside the
token tests they belong to, in `tests/api/accounts/test_tokens.py`: `alg: none`, tampered payload,
another secret or HMAC, expired, wrong issuer, refresh as access and the reverse
(`test_forged_and_mismatched_tokens_are_rejected`); HS256 signed with the RS256 public key
(`test_hmac_signed_with_the_public_key_is_rejected_under_rs256`); a spent refresh token whose
family is revoked (`test_refresh_rotates_and_reuse_revokes_the_family`, `..._logout_...`); a
deleted or deactivated user's tokens (`test_deleted_and_deactivated_users_lose_access`).
Every one of them is a 401 with a `WWW-Authenticate: Bearer` challenge."""

from __future__ import annotations

import time

import httpx
import pytest
from jose import jwt

from tests.api.accounts.test_tokens import assert_401, claims, me, signed_up
from tests.conftest import TEST_JWT_SECRET

HOUR = 3600


@pytest.mark.parametrize(
    "future",
    [
        pytest.param({"nbf": HOUR}, id="nbf in an hour"),
        pytest.param({"iat": HOUR}, id="iat in an hour"),
        pytest.param({"iat": HOUR, "nbf": HOUR}, id="both in an hour"),
    ],
)
async def test_a_token_not_valid_yet_is_refused(
    client: httpx.AsyncClient, future: dict[str, int]
) -> None:
    tokens = await signed_up(client)
    user_id = (await me(client, tokens["access"])).json()["id"]
    now = int(time.time())
    times = {claim: now + offset for claim, offset in future.items()}
    lifetime = {"exp": now + 2 * HOUR}

    access = jwt.encode({**claims(user_id), **times, **lifetime}, TEST_JWT_SECRET)
    refresh_claims = {**claims(user_id, "refresh", fam="f" * 32), **times, **lifetime}
    refresh = jwt.encode(refresh_claims, TEST_JWT_SECRET)

    assert_401(await me(client, access))
    assert_401(await client.post("/api/auth/token/refresh/", json={"refresh": refresh}))


async def test_a_token_within_the_clock_skew_is_accepted(client: httpx.AsyncClient) -> None:
    """The control: a few seconds of difference between two servers' clocks is no attack."""
    tokens = await signed_up(client)
    user_id = (await me(client, tokens["access"])).json()["id"]
    slightly_ahead = jwt.encode(claims(user_id, iat=int(time.time()) + 5), TEST_JWT_SECRET)

    assert (await me(client, slightly_ahead)).status_code == 200


async def test_a_subject_of_non_ascii_digits_is_refused(client: httpx.AsyncClient) -> None:
    """`"٢١".isdigit()` is true and `int("٢١")` is 21: the subject must be ASCII digits."""
    tokens = await signed_up(client)
    user_id = (await me(client, tokens["access"])).json()["id"]
    arabic_indic = "".join(chr(0x0660 + int(digit)) for digit in str(user_id))
    forged = jwt.encode({**claims(user_id), "sub": arabic_indic}, TEST_JWT_SECRET)
    assert_401(await me(client, forged))
