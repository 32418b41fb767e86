"""Signed JWTs with python-jose. Only the configured algorithm is accepted: `alg: none`, another
HMAC or an RSA/HMAC confusion all fail verification."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import JWTError, jwt

from app.domain.accounts.tokens import IssuedRefresh, RefreshClaims
from app.domain.shared.errors import TokenExpired, TokenInvalid

# Clocks of several processes differ a little; a token "issued" further ahead is forged.
CLOCK_SKEW_SECONDS = 30
VERIFIED_KEPT = 4096  # access tokens remembered as verified, per process


class JoseTokenCodec:
    def __init__(
        self,
        *,
        algorithm: str,
        signing_key: str,
        verifying_key: str,
        issuer: str,
        access_lifetime: timedelta,
        refresh_lifetime: timedelta,
    ) -> None:
        self.algorithm = algorithm
        self._signing_key = signing_key
        self._verifying_key = verifying_key
        self.issuer = issuer
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime
        self._verified: dict[str, tuple[int, float]] = {}  # access token -> (user id, exp)

    def encode(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._signing_key, algorithm=self.algorithm)

    def _claims(
        self,
        user_id: int,
        token_type: str,
        lifetime: timedelta,
        now: datetime | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        issued = now or datetime.now(UTC)
        return {
            "sub": str(user_id),
            "type": token_type,
            "jti": uuid.uuid4().hex,
            "iat": int(issued.timestamp()),
            "nbf": int(issued.timestamp()),
            "exp": int((issued + lifetime).timestamp()),
            "iss": self.issuer,
            **extra,
        }

    def issue_access(self, user_id: int) -> str:
        return self.encode(self._claims(user_id, "access", self.access_lifetime))

    def issue_refresh(self, user_id: int, family_id: str) -> tuple[str, dict[str, Any]]:
        claims = self._claims(user_id, "refresh", self.refresh_lifetime, fam=family_id)
        return self.encode(claims), claims

    def decode(self, token: str, expected_type: str) -> dict[str, Any]:
        """The verified claims, or `TokenInvalid` (`TokenExpired` when only the time is up) for
        any token that is not exactly right."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != self.algorithm:
                raise TokenInvalid("Token signed with an unexpected algorithm.")
            claims = jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "require_jti": True,
                    "verify_aud": False,
                },
            )
        except JWTError as error:
            if "expired" in str(error).lower():
                raise TokenExpired() from None
            raise TokenInvalid() from None
        # python-jose checks `nbf` but only the type of `iat`: a token "issued" later is not valid.
        if claims["iat"] > datetime.now(UTC).timestamp() + CLOCK_SKEW_SECONDS:
            raise TokenInvalid("Token is not yet valid.")
        if claims.get("type") != expected_type:
            raise TokenInvalid(f"Expected an {expected_type} token.")
        subject = str(claims.get("sub", ""))
        if not (subject.isascii() and subject.isdigit()):  # "٢١" is a digit string, not ours
            raise TokenInvalid("Token is invalid.")
        return claims

    def user_id_from_access(self, token: str) -> int:
        # A token is checked by the bearer middleware and again by the route's dependency, and
        # a client sends the same one for up to its lifetime: the verified ones are remembered
        # with their expiry, so the signature is checked once per token and process.
        known = self._verified.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        claims = self.decode(token, "access")
        user_id = int(claims["sub"])
        if len(self._verified) >= VERIFIED_KEPT:
            self._verified.clear()  # a flood of distinct tokens must not grow memory
        self._verified[token] = (user_id, float(claims["exp"]))
        return user_id

    @property
    def access_lifetime_seconds(self) -> int:
        return int(self.access_lifetime.total_seconds())

    def issue_refresh_token(self, user_id: int, family_id: str) -> IssuedRefresh:
        token, claims = self.issue_refresh(user_id, family_id)
        return IssuedRefresh(
            token=token,
            jti=claims["jti"],
            family_id=family_id,
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )

    def read_refresh(self, token: str) -> RefreshClaims:
        claims = self.decode(token, "refresh")
        family_id = claims.get("fam")
        if not isinstance(family_id, str) or not family_id:
            raise TokenInvalid("Token is invalid.")
        return RefreshClaims(
            user_id=int(claims["sub"]), jti=str(claims["jti"]), family_id=family_id
        )
