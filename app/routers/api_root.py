"""`GET /api/`: the original API's root, a map of the list endpoints to their absolute URLs."""

from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter(tags=["operations"])

LIST_ENDPOINTS = {
    "movies": "/api/movies/",
    "genres": "/api/genres/",
    "ratings": "/api/ratings/",
    "playlists": "/api/playlists/",
    "profiles": "/api/profiles/",
    "tmdb": "/api/tmdb/search/",
    "auth": "/api/auth/token/",
    "docs": "/swagger/",
}


@router.get("/api/", summary="The API root: where each list lives")
async def api_root(request: Request) -> dict[str, str]:
    base = str(request.base_url).rstrip("/")
    return {name: f"{base}{path}" for name, path in LIST_ENDPOINTS.items()}
