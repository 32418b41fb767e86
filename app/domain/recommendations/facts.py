"""`GetCatalogueFacts`: what every recommendation answer needs to know about the catalogue."""

from __future__ import annotations

from app.domain.recommendations.entities import CatalogueFacts
from app.domain.recommendations.recommend import Reading, cached_facts, catalogue_facts
from app.domain.shared.ports import Cache


class GetCatalogueFacts:
    """Genre shares and names and the catalogue's most votes, shared by every request for a few
    minutes; a cached copy costs no database connection."""

    def __init__(self, reading: Reading, cache: Cache) -> None:
        self._reading, self._cache = reading, cache

    async def __call__(self) -> CatalogueFacts:
        cached = await cached_facts(self._cache)
        if cached is not None:
            return cached
        async with self._reading() as reader:
            return await catalogue_facts(reader, self._cache)
