"""`create_app()`: the FastAPI application, its middleware, routers and lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.adapters.prometheus_metrics import PrometheusMetrics
from app.adapters.redis.response_store import RedisResponseStore
from app.bootstrap.runtime import build_runtime
from app.bootstrap.settings import Settings, load_settings
from app.bootstrap.warm_up import warm_up
from app.routers import api_root, health
from app.routers.accounts import auth
from app.routers.catalogue import movie_writes as movie_admin
from app.routers.catalogue import movies
from app.routers.openapi_security import declare_optional_security
from app.routers.recommendations import endpoints as recommendation_routes
from app.routers.social import playlist_items, playlists, profile_page, profiles, ratings
from app.routers.tmdb import endpoints as tmdb_routes
from app.web.bearer_check import BearerTokenCheckMiddleware, document_bearer_check
from app.web.docs import install_docs
from app.web.errors import install_error_handlers
from app.web.form_bodies import FormBodyMiddleware, document_form_bodies
from app.web.hosts import HostMiddleware
from app.web.metrics import MetricsMiddleware
from app.web.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from app.web.public_cache import PublicCacheMiddleware
from app.web.rate_limit import RateLimitConfig, build_rate_limits, install_rate_limits
from app.web.rendered_lists import RenderedLists
from app.web.response_cache import ResponseBytesCache, ResponseCacheMiddleware
from app.web.signed_in_lists import SignedInListMiddleware
from app.web.unhandled import UnhandledErrorMiddleware
from app.web.user_versions import UserVersionMiddleware

log = logging.getLogger(__name__)

DESCRIPTION = """
Nexus is an async movie recommendation and social API: a catalogue synced from TMDb, ratings and
reviews, playlists to share, profile statistics and recommendations with a readable match score.

Sign in with `POST /api/auth/token/` (or the **Authorize** button) and send the access token as
`Authorization: Bearer <token>`. Every error has the same body: `{"error": {"code", "message",
"details"}}`.

This product uses the TMDB API but is not endorsed or certified by TMDB.
"""

TAGS = [
    {"name": "auth", "description": "Accounts and JSON Web Tokens."},
    {"name": "movies", "description": "The catalogue, search and recommendations."},
    {"name": "genres", "description": "Movie genres (TMDb's ids)."},
    {"name": "ratings", "description": "Ratings and reviews, one per user and movie."},
    {"name": "playlists", "description": "Playlists: private, unlisted or public."},
    {"name": "profiles", "description": "Profiles and statistics."},
    {"name": "tmdb", "description": "Live search of The Movie Database and imports from it."},
    {"name": "operations", "description": "Health and readiness probes."},
]


CACHED_PATHS = frozenset({"/api/movies/trending/"})


def rate_limit_config(settings: Settings) -> RateLimitConfig:
    """The rate-limit settings as plain values: the web layer never reads the settings."""
    return RateLimitConfig(
        enabled=settings.rate_limit_enabled,
        tiers={
            "anonymous": settings.rate_limit_anonymous,
            "authenticated": settings.rate_limit_authenticated,
            "auth": settings.rate_limit_auth,
            "tmdb_search": settings.rate_limit_tmdb_search,
            # A session refreshes with a signed-in user's budget.
            "session": settings.rate_limit_authenticated,
        },
        redis_url=settings.redis_url,
        redis_key_prefix=settings.redis_key_prefix,
        strategy=settings.rate_limit_strategy,
        redis_timeout=settings.rate_limit_redis_timeout,
        redis_retry_seconds=settings.rate_limit_redis_retry_seconds,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    metrics = PrometheusMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.database_url is None:
            from app.bootstrap.embedded import start_embedded_postgres

            url = await asyncio.to_thread(start_embedded_postgres, settings.nexus_data_dir)
            settings.database_url = url
        runtime = await build_runtime(settings, metrics=metrics)
        app.state.runtime = runtime
        # What the routers' dependencies read (app/routers/deps.py).
        app.state.accounts = runtime.accounts
        app.state.catalogue = runtime.catalogue
        app.state.social = runtime.social
        app.state.tmdb = runtime.tmdb
        app.state.recommendations = runtime.recommendations
        app.state.readiness = runtime.readiness
        app.state.image_base_url = runtime.image_base_url
        # The token codec the bearer check and the session rate-limit key read (app/web).
        app.state.tokens = runtime.tokens
        app.state.settings = settings
        app.state.rate_limits, close_rate_limits = build_rate_limits(rate_limit_config(settings))
        if runtime.redis is not None and settings.public_cache_seconds > 0:
            app.state.public_cache = RedisResponseStore(
                runtime.redis,
                f"{settings.redis_key_prefix}cache:",
                settings.public_cache_seconds,
                runtime.pending_deletes,
            )
        if settings.warm_up:
            await warm_up(app)
        try:
            yield
        finally:
            await close_rate_limits()
            await runtime.close()

    app = FastAPI(
        title="Nexus API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    install_error_handlers(app)
    install_docs(app)
    declare_optional_security(app)
    app.include_router(health.router)
    app.include_router(api_root.router)
    app.include_router(auth.router)
    # The catalogue first: other routers add paths under /api/movies/ after it.
    app.include_router(movies.router)
    app.include_router(movies.genres_router)
    app.include_router(movie_admin.router)
    app.include_router(recommendation_routes.router)
    app.include_router(tmdb_routes.router)
    app.include_router(ratings.router)
    app.include_router(playlists.router)
    app.include_router(playlist_items.router)
    app.include_router(profile_page.router)
    app.include_router(profiles.router)
    # A signed-in user's writes make their cached account state stale.
    app.add_middleware(UserVersionMiddleware)
    # Anonymous public reads as bytes shared through Redis, invalidated by version.
    app.add_middleware(PublicCacheMiddleware)
    # Hot anonymous reads answered from bytes, inside the rate limits but before routing.
    app.state.response_cache = ResponseBytesCache(settings.response_cache_seconds)
    app.state.rendered_lists = RenderedLists(settings.rendered_list_seconds)
    app.add_middleware(ResponseCacheMiddleware, cache=app.state.response_cache, paths=CACHED_PATHS)
    # A signed-in user's list asked again, before routing (the account still checked).
    app.add_middleware(SignedInListMiddleware, rendered=app.state.rendered_lists)
    # Form-encoded and multipart writes become the JSON body their route validates.
    app.add_middleware(FormBodyMiddleware)
    document_form_bodies(app)
    # Before the cached answers: an expired token is a 401 on every route.
    app.add_middleware(BearerTokenCheckMiddleware)
    document_bearer_check(app)
    # Inside CORS, so that a browser can read a 429, a 413 and their headers.
    install_rate_limits(app)
    app.add_middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # Inside CORS and the request id: a 500 carries both, and its log line the id.
    app.add_middleware(UnhandledErrorMiddleware)

    # Outermost last: request ids wrap everything, so even a 413 carries one.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            # Credentials (the refresh cookie) only with the cookie on, and only for these
            # origins: CORS_ORIGINS never holds "*".
            allow_credentials=settings.refresh_cookie_enabled,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "X-CSRF-Token"],
            expose_headers=[
                "X-Request-ID",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-RateLimit-Reset",
                "Retry-After",
                "X-Cache",
                "WWW-Authenticate",
                "Allow",
            ],
            max_age=600,
        )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    # Before anything builds a link: an unknown Host is refused, a known one made the public one.
    app.add_middleware(
        HostMiddleware,
        allowed_hosts=settings.trusted_hosts,
        public_base_url=settings.public_base_url,
    )
    app.add_middleware(RequestIdMiddleware, hsts=settings.served_over_https)
    return app
