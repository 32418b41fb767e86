"""Request and response bodies of `/api/auth/`, named as the original API named them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, EmailStr, Field, ValidationInfo, field_validator

from app.domain.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from app.domain.accounts.tokens import TokenPair
from app.domain.accounts.users import User
from app.web.request_bodies import STRICT_CLOSED_BODY

# Argon2 would hash anything; a bound keeps a megabyte "password" from costing CPU time.
PASSWORD_FIELD_MAX = 1024
USERNAME_REGEX = r"^[\w.\-]{3,150}$"


class RegisterIn(BaseModel):
    # Unknown fields (`is_staff`, `id`, ...) are refused, never silently stored or dropped.
    model_config = STRICT_CLOSED_BODY

    username: str = Field(
        min_length=3,
        max_length=150,
        pattern=USERNAME_REGEX,
        description="3 to 150 letters, digits and `_ . -`",
    )
    email: EmailStr = Field(max_length=254)
    password: str = Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)
    password_confirm: str | None = Field(None, max_length=PASSWORD_FIELD_MAX)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)

    @field_validator("password_confirm")
    @classmethod
    def _passwords_match(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Named after this field, so that a form shows the message beside the confirmation.
        password = info.data.get("password")
        if value is not None and password is not None and value != password:
            raise ValueError("The two passwords do not match.")
        return value


class PublicUser(BaseModel):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    date_joined: datetime | None

    @classmethod
    def of(cls, user: User) -> PublicUser:
        return cls(
            id=user.id,
            username=user.username,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            date_joined=user.date_joined,
        )


class RegisterOut(BaseModel):
    """The original API's `{message, user}`, plus the tokens of a first session (as the token
    endpoint answers them), so that sign-up is one request."""

    message: str
    user: PublicUser
    access: str
    refresh: str
    token_type: str = "bearer"  # noqa: S105 (the token type, not a secret)
    expires_in: int = Field(description="Seconds until the access token expires")
    access_token: str
    refresh_token: str
    csrf_token: str | None = None


class TokenIn(BaseModel):
    """JSON, or the OAuth2 password form (`grant_type=password`)."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    username: str = Field(min_length=1, max_length=254, description="Username or email")
    password: str = Field(min_length=1, max_length=PASSWORD_FIELD_MAX)
    grant_type: Literal["password"] | None = None
    scope: str = ""
    # Sent by OAuth2 clients with the password form; public clients have no secret to check.
    client_id: str | None = Field(None, max_length=255)
    client_secret: str | None = Field(None, max_length=255)


class TokenOut(BaseModel):
    """`access`/`refresh` as the original API; `access_token`/`refresh_token` as OAuth2 (RFC
    6749) names them, which Swagger's Authorize button and OAuth2 clients read."""

    access: str
    refresh: str
    token_type: str = "bearer"  # noqa: S105 (the token type, not a secret)
    expires_in: int = Field(description="Seconds until the access token expires")
    access_token: str
    refresh_token: str
    csrf_token: str | None = Field(
        default=None, description="With the refresh cookie only: send it as `X-CSRF-Token`."
    )

    @classmethod
    def of(cls, pair: TokenPair) -> TokenOut:
        return cls(
            access=pair.access,
            refresh=pair.refresh,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
            access_token=pair.access,
            refresh_token=pair.refresh,
        )


class RefreshIn(BaseModel):
    """`refresh` may be left out when the refresh cookie is enabled and sent (with the CSRF
    header)."""

    # An unknown field is refused by name (422), never silently dropped.
    model_config = STRICT_CLOSED_BODY

    refresh: str | None = Field(None, min_length=1, max_length=4096)


class AccountPatch(BaseModel):
    model_config = STRICT_CLOSED_BODY

    email: EmailStr | None = Field(None, max_length=254)
    current_password: str | None = Field(None, min_length=1, max_length=PASSWORD_FIELD_MAX)
    new_password: str | None = Field(None, min_length=MIN_LENGTH, max_length=MAX_LENGTH)
