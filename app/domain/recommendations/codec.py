"""Recommendations to and from JSON bytes for the cache (stdlib only)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.domain.recommendations.entities import CandidateMovie, Recommendation
from app.domain.recommendations.quality import Votes
from app.domain.recommendations.score import Breakdown, MatchScore


def dump_recommendations(items: list[Recommendation]) -> list[dict[str, Any]]:
    return [
        {
            "movie": {
                "movie_id": r.movie.movie_id,
                "title": r.movie.title,
                "genre_ids": list(r.movie.genre_ids),
                "release_year": r.movie.release_year,
                "original_language": r.movie.original_language,
                "poster_path": r.movie.poster_path,
                "tmdb_id": r.movie.tmdb_id,
                "release_date": r.movie.release_date.isoformat() if r.movie.release_date else None,
                "votes": [
                    r.movie.votes.ratings_count,
                    r.movie.votes.rating_average,
                    r.movie.votes.tmdb_vote_average,
                    r.movie.votes.tmdb_vote_count,
                    r.movie.votes.tmdb_popularity,
                ],
            },
            "score": r.match.score,
            "breakdown": [
                r.match.breakdown.genre_affinity,
                r.match.breakdown.rating_history,
                r.match.breakdown.quality_popularity,
            ],
            "reasons": list(r.match.reasons),
        }
        for r in items
    ]


def load_recommendations(
    rows: list[dict[str, Any]], model_version: int | None = None
) -> list[Recommendation]:
    items = []
    for row in rows:
        movie = row["movie"]
        count, average, tmdb_average, tmdb_count, popularity = movie["votes"]
        candidate = CandidateMovie(
            movie_id=movie["movie_id"],
            title=movie["title"],
            genre_ids=tuple(movie["genre_ids"]),
            release_year=movie["release_year"],
            original_language=movie["original_language"],
            poster_path=movie["poster_path"],
            votes=Votes(count, average, tmdb_average, tmdb_count, popularity),
            tmdb_id=movie.get("tmdb_id"),
            release_date=date.fromisoformat(movie["release_date"])
            if movie.get("release_date")
            else None,
        )
        match = MatchScore(row["score"], Breakdown(*row["breakdown"]), tuple(row["reasons"]))
        items.append(Recommendation(candidate, match, model_version))
    return items


def encode(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def decode(raw: bytes) -> Any:
    return json.loads(raw)
