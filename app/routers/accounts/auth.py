"""`/api/auth/`: register, obtain, refresh and revoke tokens, read and change the account."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.domain.accounts.registration import (
    AccountChanges,
    RegisterUser,
    Registration,
    UpdateAccount,
)
from app.domain.accounts.sessions import RefreshSession, SignIn, SignOut
from app.routers.accounts.registration_body import REGISTER_BODY, validate_registration
from app.routers.accounts.schemas import (
    AccountPatch,
    PublicUser,
    RefreshIn,
    RegisterOut,
    TokenIn,
    TokenOut,
)
from app.routers.deps import Accounts, CurrentUser
from app.web.errors import error_responses
from app.web.rate_limit import RateLimit
from app.web.refresh_cookie import clear_refresh_cookie, refresh_token_of, set_refresh_cookie

router = APIRouter(prefix="/api/auth", tags=["auth"])
# Counted inside the routes, once the body is valid: a 422 does not spend the sign-in budget.
spend_auth_budget = RateLimit("auth")
session_rate_limit = [Depends(RateLimit("session"))]

FORM = "application/x-www-form-urlencoded"
TOKEN_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": TokenIn.model_json_schema()},
        FORM: {"schema": TokenIn.model_json_schema()},
    },
}


@router.post(
    "/register/",
    status_code=201,
    response_model=RegisterOut,
    summary="Create an account",
    description=RegisterUser.__doc__,
    responses=error_responses(409, 422, 429),
    openapi_extra={"requestBody": REGISTER_BODY},
)
async def register(
    request: Request, response: Response, payload: Annotated[Any, Body()], accounts: Accounts
) -> RegisterOut:
    # Spent before any lookup: the 422 of an invalid body names taken usernames too.
    body = await validate_registration(payload, accounts, lambda: spend_auth_budget(request))
    await spend_auth_budget(request)
    registration = Registration(
        username=body.username,
        email=str(body.email),
        password=body.password,
        first_name=body.first_name,
        last_name=body.last_name,
    )
    user = await accounts.register(registration)
    tokens = TokenOut.of(await accounts.start_session(user.id))
    tokens.csrf_token = set_refresh_cookie(request, response, tokens.refresh)
    return RegisterOut(
        message="User registered successfully.", user=PublicUser.of(user), **tokens.model_dump()
    )


def _unparsable(where: tuple[str | int, ...], reason: str) -> RequestValidationError:
    """FastAPI's own error for a body that is not JSON, so it reads as every other route's."""
    return RequestValidationError(
        [
            {
                "type": "json_invalid",
                "loc": where,
                "msg": "JSON decode error",
                "ctx": {"error": reason},
            }
        ]
    )


async def _token_request(request: Request) -> TokenIn:
    """The body as JSON or as the OAuth2 password form (parsed here: no multipart needed)."""
    content_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    raw = await request.body()
    data: Any
    if content_type == FORM:
        data = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    elif content_type in ("application/json", "") or content_type.endswith("+json"):
        try:
            data = json.loads(raw or b"null")
        except json.JSONDecodeError as error:
            raise _unparsable(("body", error.pos), error.msg) from None
        except ValueError:  # bytes that are not UTF-8
            raise _unparsable(("body",), "not UTF-8 text") from None
    else:
        raise HTTPException(415, f"Send JSON or {FORM}.")
    try:
        return TokenIn.model_validate(data)
    except ValidationError as error:
        errors = [{**item, "loc": ("body", *item["loc"])} for item in error.errors()]
        raise RequestValidationError(errors) from None


@router.post(
    "/token/",
    response_model=TokenOut,
    summary="Sign in: obtain an access and a refresh token",
    description=SignIn.__doc__,
    responses=error_responses(401, 415, 422, 429),
    openapi_extra={"requestBody": TOKEN_BODY},
)
async def obtain_tokens(request: Request, response: Response, accounts: Accounts) -> TokenOut:
    credentials = await _token_request(request)
    await spend_auth_budget(request)
    tokens = TokenOut.of(await accounts.sign_in(credentials.username, credentials.password))
    tokens.csrf_token = set_refresh_cookie(request, response, tokens.refresh)
    return tokens


@router.post(
    "/token/refresh/",
    response_model=TokenOut,
    summary="Exchange a refresh token for a new pair",
    description=RefreshSession.__doc__,
    dependencies=session_rate_limit,
    responses=error_responses(401, 403, 422, 429),
)
async def refresh_tokens(
    body: RefreshIn, request: Request, response: Response, accounts: Accounts
) -> TokenOut:
    tokens = TokenOut.of(await accounts.refresh_session(refresh_token_of(request, body.refresh)))
    tokens.csrf_token = set_refresh_cookie(request, response, tokens.refresh)
    return tokens


@router.post(
    "/logout/",
    status_code=204,
    response_class=Response,
    summary="Sign out: revoke the refresh token's session",
    description=SignOut.__doc__,
    dependencies=session_rate_limit,
    responses=error_responses(401, 403, 422, 429),
)
async def logout(body: RefreshIn, request: Request, accounts: Accounts) -> Response:
    await accounts.sign_out(refresh_token_of(request, body.refresh))
    response = Response(status_code=204)
    clear_refresh_cookie(request, response)
    return response


@router.get(
    "/me/",
    response_model=PublicUser,
    summary="The signed-in account",
    responses=error_responses(401, 429),
)
async def read_account(user: CurrentUser) -> PublicUser:
    return PublicUser.of(user)


@router.patch(
    "/me/",
    response_model=PublicUser,
    summary="Change the email or the password",
    description=UpdateAccount.__doc__,
    responses=error_responses(401, 403, 409, 422, 429),
)
async def update_account(body: AccountPatch, user: CurrentUser, accounts: Accounts) -> PublicUser:
    changes = AccountChanges(
        email=str(body.email) if body.email is not None else None,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    updated = await accounts.update_account(user.id, changes)
    return PublicUser.of(updated)
