"""`Annotated` dependency aliases shared by every router."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from app.domain.accounts.users import User
from app.domain.shared.errors import NotAuthenticated, TokenInvalid
from app.domain.shared.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]

bearer_scheme = HTTPBearer(auto_error=False, description="A JWT access token.")
# Declared for the OpenAPI document only, so that Swagger's Authorize button can sign in with a
# username and password; the token itself is read by `bearer_scheme` above.
oauth2_password_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/auth/token/",
    auto_error=False,
    description="Username (or email) and password, exchanged for a JWT access token.",
)


async def _user_from_credentials(
    services: Services, credentials: HTTPAuthorizationCredentials | None
) -> User | None:
    if credentials is None:
        return None
    if credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise TokenInvalid("Malformed Authorization header.")
    user_id = services.tokens.user_id_from_access(credentials.credentials)
    async with services.database.unit_of_work() as uow:
        user = await uow.users.get(user_id)
    if user is None or not user.is_active:
        raise TokenInvalid("User not found or inactive.")
    return user


async def optional_user(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _password_flow: Annotated[str | None, Depends(oauth2_password_scheme)],
) -> User | None:
    """The signed-in user, or None for an anonymous caller. A bad token is still a 401."""
    user = await _user_from_credentials(services, credentials)
    request.state.user = user
    return user


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise NotAuthenticated()
    return user


async def staff_user(user: Annotated[User, Depends(current_user)]) -> User:
    from app.domain.shared.errors import PermissionDenied

    if not user.is_staff:
        raise PermissionDenied("Staff only.")
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
StaffUser = Annotated[User, Depends(staff_user)]
