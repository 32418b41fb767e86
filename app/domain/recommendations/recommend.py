"""`RecommendMovies` and `ExplainMatch`: the ranked list and one movie's match score."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.accounts.users import User
from app.domain.recommendations.codec import (
    decode,
    dump_recommendations,
    encode,
    load_recommendations,
)
from app.domain.recommendations.entities import CatalogueFacts, Recommendation
from app.domain.recommendations.personal import PersonalContext
from app.domain.recommendations.ports import ModelProvider, RecommendationReader
from app.domain.shared import cache_keys
from app.domain.shared.errors import NotFound
from app.domain.shared.ports import Cache

CANDIDATES_PER_RESULT = 5  # collaborative candidates read per movie asked, for genre filters
MIN_CANDIDATES = 100
SPARE = 10  # candidates beyond the limit, for movies deleted since the model was built
RECOMMENDATIONS_TTL = 3600.0  # invalidated exactly on change; the TTL only bounds memory
ANONYMOUS_TTL = 300.0
FACTS_TTL = 600.0

# The reader for one unit of work: `async with reading() as reader`.
Reading = Callable[[], Any]


class RecommendMovies:
    """Movies the user has not rated, in non-increasing order of their 40/30/30 match score
    (its rating-history part carries the model's calibrated score, so the model's order
    decides), each with its breakdown and reasons. Without ratings (or anonymous) genres,
    quality and popularity order a cold-start list. Cached per user and taste version (read
    with the user, before the ratings: a list computed from ratings older than a write is kept
    under the version before it); the cache entry names the model version it came from."""

    def __init__(self, reading: Reading, models: ModelProvider, cache: Cache) -> None:
        self._reading, self._models, self._cache = reading, models, cache

    async def __call__(
        self, user: User | None, limit: int, genre: int | None = None
    ) -> list[Recommendation]:
        model = await self._models.current()
        variant = f"{limit}:{genre}"
        key = (
            cache_keys.user_recommendations(user.id, user.taste_version)
            if user
            else cache_keys.anonymous_recommendations(limit, genre)
        )
        cached = await self._cache.get(key)
        entry: dict[str, Any] = decode(cached) if cached else {}
        if "variants" not in entry or entry.get("model") != model.version:
            entry = {"model": model.version, "variants": {}}
        if variant in entry["variants"]:
            return load_recommendations(entry["variants"][variant], model.version)
        async with self._reading() as reader:
            facts = await catalogue_facts(reader, self._cache)
            history = await reader.history(user.id) if user else []
            context = PersonalContext(history, facts, model, user.favorite_genres if user else ())
            found = await self._rank(reader, context, limit, genre)
        entry["variants"][variant] = dump_recommendations(found)
        ttl = RECOMMENDATIONS_TTL if user else ANONYMOUS_TTL
        await self._cache.set(key, encode(entry), ttl)
        return found

    async def version_of(self, user: User) -> tuple[int, int, int | None]:
        """What the user's list is computed from: the user, their taste version and the served
        model's version (a key for caches of the rendered list)."""
        model = await self._models.current()
        return user.id, user.taste_version, model.version

    async def _rank(
        self, reader: RecommendationReader, context: PersonalContext, limit: int, genre: int | None
    ) -> list[Recommendation]:
        # A genre filter discards most candidates, so it reads more of them; without one, the
        # model's best 2 x limit are scored, so the summed score can reorder within them.
        wanted = max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * limit) if genre else 2 * limit + SPARE
        collaborative = context.collaborative(wanted)
        scores = dict(collaborative)
        movies = {m.movie_id: m for m in await reader.movies(list(scores))} if scores else {}
        kept = [
            (movies[movie_id], score)
            for movie_id, score in collaborative
            if movie_id in movies and (genre is None or genre in movies[movie_id].genre_ids)
        ]
        version = context.model.version
        ranked = [
            Recommendation(movie, context.explain(movie, score), version) for movie, score in kept
        ]
        if len(ranked) < limit:
            # Cold start, or a short list: the best known movies, by their match score too.
            exclude = context.rated_ids | {r.movie.movie_id for r in ranked}
            fill = await reader.best_known(genre=genre, exclude=exclude, limit=3 * limit)
            ranked += [
                Recommendation(movie, context.explain(movie, None), version) for movie in fill
            ]
        # The list is in the order of the score it shows; the model's own score breaks ties.
        ranked.sort(
            key=lambda r: (-r.match.score, -scores.get(r.movie.movie_id, 0.0), r.movie.movie_id)
        )
        return ranked[:limit]


class ExplainMatch:
    """One movie's match score for the signed-in caller, with its breakdown and reasons."""

    def __init__(self, reading: Reading, models: ModelProvider, cache: Cache) -> None:
        self._reading, self._models, self._cache = reading, models, cache

    async def __call__(self, user: User | None, movie_id: int) -> Recommendation:
        model = await self._models.current()
        async with self._reading() as reader:
            found = await reader.movies([movie_id])
            if not found:
                raise NotFound("Movie not found.")
            facts = await catalogue_facts(reader, self._cache)
            history = await reader.history(user.id) if user else []
        context = PersonalContext(history, facts, model, user.favorite_genres if user else ())
        context.collaborative(1)  # the user's best candidate sets the top of the scale
        contributions = model.contributions(context.profile, movie_id) if context.profile else {}
        score = sum(contributions.values()) if contributions else None
        return Recommendation(found[0], context.explain(found[0], score), model.version)


async def cached_facts(cache: Cache) -> CatalogueFacts | None:
    cached = await cache.get(cache_keys.catalogue_facts())
    if not cached:
        return None
    raw = decode(cached)
    return CatalogueFacts(
        genre_share={int(k): v for k, v in raw["share"].items()},
        genre_names={int(k): v for k, v in raw["names"].items()},
        most_votes=raw["most_votes"],
    )


async def catalogue_facts(reader: RecommendationReader, cache: Cache) -> CatalogueFacts:
    """Shared by every request for a few minutes: genre shares move slowly."""
    cached = await cached_facts(cache)
    if cached is not None:
        return cached
    facts = await reader.catalogue_facts()
    payload = {
        "share": facts.genre_share,
        "names": facts.genre_names,
        "most_votes": facts.most_votes,
    }
    await cache.set(cache_keys.catalogue_facts(), encode(payload), FACTS_TTL)
    return facts
