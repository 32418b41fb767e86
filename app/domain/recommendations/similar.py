"""`SimilarMovies`: the model's neighbours of a movie, blended with content similarity where
few people rated it (collaborative evidence is thin there)."""

from __future__ import annotations

from app.domain.recommendations.entities import SimilarMovie
from app.domain.recommendations.history import content_similarity
from app.domain.recommendations.ports import ModelProvider
from app.domain.recommendations.recommend import Reading
from app.domain.shared.errors import NotFound

# With this many local ratings the collaborative and the content similarity weigh the same.
EVIDENCE_RATINGS = 20
CANDIDATES = 50


class SimilarMovies:
    """similarity = c * collaborative + (1 - c) * content, c = n / (n + EVIDENCE_RATINGS) for a
    movie with n local ratings; the collaborative part is relative to its strongest neighbour."""

    def __init__(self, reading: Reading, models: ModelProvider) -> None:
        self._reading, self._models = reading, models

    async def __call__(self, movie_id: int, limit: int) -> list[SimilarMovie]:
        model = await self._models.current()
        neighbours = dict(model.neighbours(movie_id, CANDIDATES))
        async with self._reading() as reader:
            found = await reader.movies([movie_id])
            if not found:
                raise NotFound("Movie not found.")
            movie = found[0]
            by_content = await reader.related_by_genre(
                movie.genre_ids, exclude=[movie_id, *neighbours], limit=CANDIDATES
            )
            candidates = await reader.movies(list(neighbours)) + by_content
        count = movie.votes.ratings_count
        collaborative_share = count / (count + EVIDENCE_RATINGS)
        strongest = max((w for w in neighbours.values() if w > 0), default=0.0)
        scored = []
        for candidate in candidates:
            weight = neighbours.get(candidate.movie_id, 0.0)
            collaborative = max(0.0, weight) / strongest if strongest > 0 else 0.0
            content = content_similarity(movie.features, candidate.features)
            similarity = collaborative_share * collaborative + (1 - collaborative_share) * content
            scored.append(SimilarMovie(candidate, round(min(1.0, similarity), 4), model.version))
        scored.sort(key=lambda s: (-s.similarity, -s.movie.votes.ratings_count, s.movie.movie_id))
        return scored[:limit]
