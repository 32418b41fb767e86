"""Signed-in users for the load benchmarks, made through the API itself."""

from __future__ import annotations

import asyncio
import uuid

import httpx

PASSWORD = "bench-Passw0rd-long-enough"


async def sign_up(base_url: str, count: int) -> list[dict[str, str]]:
    """`count` new accounts; returns the bearer headers of each."""
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:

        async def one(n: int) -> dict[str, str]:
            name = f"bench_{run}_{n}"
            body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
            body["password_confirm"] = PASSWORD  # the original requires it; Nexus checks it
            (await client.post("/api/auth/register/", json=body)).raise_for_status()
            login = {"username": name, "password": PASSWORD}
            token = await client.post("/api/auth/token/", json=login)
            token.raise_for_status()
            return {"Authorization": f"Bearer {token.json()['access']}"}

        return list(await asyncio.gather(*(one(n) for n in range(count))))


async def movie_ids(base_url: str, pages: int = 5) -> list[int]:
    """Ids from the first catalogue pages, for details and ratings."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        ids: list[int] = []
        for page in range(1, pages + 1):
            listing = await client.get("/api/movies/", params={"page": page, "page_size": 100})
            listing.raise_for_status()
            ids += [movie["id"] for movie in listing.json()["results"]]
        return ids
