"""The recommendation use cases a running service holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.recommendations.facts import GetCatalogueFacts
from app.domain.recommendations.recommend import ExplainMatch, RecommendMovies
from app.domain.recommendations.similar import SimilarMovies
from app.domain.recommendations.trending import TrendingMovies


@dataclass(frozen=True, slots=True)
class RecommendationUseCases:
    recommend: RecommendMovies
    explain_match: ExplainMatch
    similar: SimilarMovies
    trending: TrendingMovies
    catalogue_facts: GetCatalogueFacts
