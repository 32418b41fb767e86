"""`Annotated` dependency aliases shared by every router: each feature's use cases, built once at
start-up by `app.bootstrap` and kept on `app.state`, and the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from app.domain.accounts.use_cases import AccountUseCases
from app.domain.accounts.users import User
from app.domain.catalogue.use_cases import CatalogueUseCases
from app.domain.recommendations.use_cases import RecommendationUseCases
from app.domain.shared.errors import NotAuthenticated, TokenInvalid
from app.domain.shared.readiness import CheckReadiness
from app.domain.social.use_cases import SocialUseCases
from app.domain.tmdb.use_cases import TmdbUseCases
from app.web.rendered_lists import RenderedLists


# Plain `async def` although nothing is awaited: FastAPI runs a `def` dependency in its thread
# pool, a thread hop on every request for an attribute read.
async def get_accounts(request: Request) -> AccountUseCases:
    accounts: AccountUseCases = request.app.state.accounts
    return accounts


async def get_catalogue(request: Request) -> CatalogueUseCases:
    catalogue: CatalogueUseCases = request.app.state.catalogue
    return catalogue


async def get_social(request: Request) -> SocialUseCases:
    social: SocialUseCases = request.app.state.social
    return social


async def get_tmdb(request: Request) -> TmdbUseCases | None:
    """None without TMDb credentials; the TMDb routes answer 503 then."""
    tmdb: TmdbUseCases | None = request.app.state.tmdb
    return tmdb


async def get_recommendations(request: Request) -> RecommendationUseCases:
    recommendations: RecommendationUseCases = request.app.state.recommendations
    return recommendations


async def get_readiness(request: Request) -> CheckReadiness:
    readiness: CheckReadiness = request.app.state.readiness
    return readiness


Accounts = Annotated[AccountUseCases, Depends(get_accounts)]
Catalogue = Annotated[CatalogueUseCases, Depends(get_catalogue)]
Social = Annotated[SocialUseCases, Depends(get_social)]
Tmdb = Annotated[TmdbUseCases | None, Depends(get_tmdb)]
Recommendations = Annotated[RecommendationUseCases, Depends(get_recommendations)]
ReadinessCheck = Annotated[CheckReadiness, Depends(get_readiness)]


async def get_rendered(request: Request) -> RenderedLists:
    rendered: RenderedLists = request.app.state.rendered_lists
    return rendered


# Signed-in answers kept as bytes in the process, keyed by what they depend on.
Rendered = Annotated[RenderedLists, Depends(get_rendered)]

bearer_scheme = HTTPBearer(auto_error=False, description="A JWT access token.")
# Declared for the OpenAPI document only, so that Swagger's Authorize button can sign in with a
# username and password; the token itself is read by `bearer_scheme` above.
oauth2_password_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/auth/token/",
    auto_error=False,
    description="Username (or email) and password, exchanged for a JWT access token.",
)


async def _user_from_credentials(
    accounts: AccountUseCases, credentials: HTTPAuthorizationCredentials | None
) -> User | None:
    if credentials is None:
        return None
    if credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise TokenInvalid("Malformed Authorization header.")
    return await accounts.authenticate(credentials.credentials)


async def optional_user(
    request: Request,
    accounts: Accounts,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _password_flow: Annotated[str | None, Depends(oauth2_password_scheme)],
) -> User | None:
    """The signed-in user, or None for an anonymous caller. A bad token is still a 401."""
    user = await _user_from_credentials(accounts, credentials)
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
