"""The match score of a movie for one user: their taste, their weighted ratings and the model,
gathered once per request and applied to every candidate."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.domain.recommendations.entities import CandidateMovie, CatalogueFacts, HistoryEntry
from app.domain.recommendations.history import (
    collaborative_history,
    content_history,
    content_similarity,
)
from app.domain.recommendations.ports import ServedModel
from app.domain.recommendations.quality import quality_popularity
from app.domain.recommendations.reasons import CLEAR_TASTE, CLOSE_CONTENT, material_sources
from app.domain.recommendations.score import (
    MatchScore,
    because_you_rated,
    highly_rated,
    match_score,
    you_like,
)
from app.domain.recommendations.taste import GenreTaste, genre_affinity, genre_taste

REASON_GENRES = 2  # "You like Crime and Thriller", never a list of five


def profile_weights(
    history: list[HistoryEntry], like_weight: float, recency_scale: float, recency_floor: float
) -> dict[int, float]:
    """The same weights the model was evaluated with: recent ratings get a boost above a floor
    every rating keeps, liked movies count more (`app.model_fitting.item_model`'s
    `interaction_weights`)."""
    latest_first = sorted(history, key=lambda e: (e.rated_at, e.movie_id), reverse=True)
    decays = recency_scale > 0 and recency_floor < 1
    weights = {}
    for rank, entry in enumerate(latest_first):
        recency = 1.0
        if decays:
            recency = recency_floor + (1 - recency_floor) * math.exp(-rank / recency_scale)
        weights[entry.movie_id] = (1 + like_weight * (entry.score - 3)) * recency
    return weights


@dataclass
class PersonalContext:
    history: list[HistoryEntry]
    facts: CatalogueFacts
    model: ServedModel
    favorite_genres: tuple[int, ...] = ()
    taste: GenreTaste = field(init=False)
    profile: dict[int, float] = field(init=False)
    best_collaborative: float = 0.0

    def __post_init__(self) -> None:
        self.taste = genre_taste(
            (entry.rated for entry in self.history), self.facts.genre_share, self.favorite_genres
        )
        self.profile = profile_weights(
            self.history,
            self.model.like_weight,
            self.model.recency_scale,
            self.model.recency_floor,
        )
        self._by_id = {entry.movie_id: entry for entry in self.history}

    @property
    def rated_ids(self) -> set[int]:
        return set(self._by_id)

    def collaborative(self, limit: int) -> list[tuple[int, float]]:
        """The model's best unrated movies; remembers the best score as the scale's top."""
        if not self.profile:
            return []
        found = self.model.score(self.profile, self.rated_ids, limit)
        if found and self.best_collaborative == 0.0:
            self.best_collaborative = found[0][1]
        return found

    def explain(self, movie: CandidateMovie, collaborative: float | None) -> MatchScore:
        """The three published parts and the reasons behind them."""
        reasons: list[str] = []
        if collaborative is not None and collaborative > 0:
            history = collaborative_history(collaborative, self.best_collaborative)
            contributions = self.model.contributions(self.profile, movie.movie_id)
            for source, share in material_sources(contributions):
                if source in self._by_id:
                    reasons.append(because_you_rated(self._by_id[source].rated, share))
        else:
            liked = [(entry.features, entry.score) for entry in self.history]
            history = content_history(movie.features, liked)
            closest = self._closest_liked(movie)
            if history >= CLOSE_CONTENT and closest is not None:
                reasons.append(because_you_rated(closest.rated))
        genres = self.taste.favourites(movie.genre_ids, CLEAR_TASTE)[:REASON_GENRES]
        liked_genres = you_like([self.facts.genre_names.get(g, str(g)) for g in genres])
        if liked_genres:
            reasons.append(liked_genres)
        popular = highly_rated(movie.votes.ratings_count, movie.votes.rating_average)
        if popular:
            reasons.append(popular)
        return match_score(
            genre_affinity=genre_affinity(self.taste, movie.genre_ids),
            rating_history=history,
            quality_popularity=quality_popularity(movie.votes, self.facts.most_votes),
            reasons=tuple(reasons),
        )

    def _closest_liked(self, movie: CandidateMovie) -> HistoryEntry | None:
        liked = [entry for entry in self.history if entry.score > 3]
        if not liked:
            return None
        return max(
            liked,
            key=lambda e: (
                content_similarity(movie.features, e.features) * (e.score - 3),
                e.rated_at,
            ),
        )
