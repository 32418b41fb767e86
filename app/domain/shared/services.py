"""The ports a running Nexus has, wired from settings by `app.bootstrap.runtime` and handed to the routers.
Tests build it from in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.accounts.signed_in import ActiveUsers
from app.domain.recommendations.ports import RecommendationPorts
from app.domain.shared.ports import AccessTokens, Cache, Database, PasswordHasher, TokenIssuer
from app.domain.tmdb.ports import TmdbClient


@dataclass(slots=True)
class Services:
    database: Database
    cache: Cache
    tokens: AccessTokens
    token_issuer: TokenIssuer
    passwords: PasswordHasher
    tmdb: TmdbClient | None = None  # None: no TMDb credentials configured (keep defaults last)
    recommendations: RecommendationPorts | None = None
    active_users: ActiveUsers | None = None  # None: read from `database` on every request
