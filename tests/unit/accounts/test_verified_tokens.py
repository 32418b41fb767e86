"""Access tokens verified once per process are remembered only until they expire, and a token
that was never valid is never remembered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.adapters.security import jwt_tokens
from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.domain.shared.errors import TokenExpired, TokenInvalid

SECRET = "unit-test-secret-" + "x" * 40


def codec(key: str = SECRET) -> JoseTokenCodec:
    return JoseTokenCodec(
        algorithm="HS256",
        signing_key=key,
        verifying_key=key,
        issuer="nexus",
        access_lifetime=timedelta(minutes=15),
        refresh_lifetime=timedelta(days=1),
    )


def test_a_remembered_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = codec()
    token = tokens.issue_access(7)
    assert tokens.user_id_from_access(token) == 7
    assert tokens.user_id_from_access(token) == 7  # remembered
    decoded: list[str] = []

    def expired(token: str, expected_type: str) -> dict[str, object]:
        decoded.append(token)
        raise TokenExpired()

    monkeypatch.setattr(tokens, "decode", expired)
    assert tokens.user_id_from_access(token) == 7 and decoded == []  # not verified again
    later = jwt_tokens.time.time() + 16 * 60
    monkeypatch.setattr(jwt_tokens.time, "time", lambda: later)
    with pytest.raises(TokenExpired):  # past its `exp`, it is verified again, and refused
        tokens.user_id_from_access(token)
    assert decoded == [token]


def test_a_forged_token_is_refused_every_time() -> None:
    forged = codec("another-secret-" + "y" * 40).issue_access(7)
    tokens = codec()
    for _ in range(2):
        with pytest.raises(TokenInvalid):
            tokens.user_id_from_access(forged)
