"""Reasons that are true, and one meaning of the score on the list and on one movie."""

from __future__ import annotations

from datetime import timedelta

from app.adapters.memory.cache import InMemoryCache
from app.adapters.served_model import InMemoryServedModel
from app.domain.recommendations.entities import CandidateMovie, HistoryEntry
from app.domain.recommendations.quality import Votes
from app.domain.recommendations.reasons import material_sources
from app.domain.recommendations.recommend import ExplainMatch, RecommendMovies
from tests.unit.recommendations.test_recommend import (
    COMEDY,
    CRIME,
    HEAT,
    NOW,
    USER,
    FakeModels,
    FakeReader,
    movie,
    reading_of,
    served,
)


def test_only_rated_movies_with_a_material_share_are_named_at_most_two() -> None:
    assert material_sources({1: 0.5, 2: 0.3, 3: 0.2}) == [(1, 0.5), (2, 0.3)]
    assert material_sources({1: 0.1, 2: 0.1, 3: 0.1, 4: 0.1, 5: 0.1, 6: 0.5}) == [(6, 0.5)]
    assert material_sources({n: 0.1 for n in range(10)}) == []  # nobody stands out
    assert material_sources({1: -0.5, 2: 0.2}) == []  # nothing positive to explain


async def test_one_rated_title_is_named_only_on_movies_that_resemble_it() -> None:
    amelie = HistoryEntry(1, "Amélie", 5, (COMEDY,), 2001, "fr", NOW - timedelta(days=1))
    zodiac = CandidateMovie(2, "Zodiac", (CRIME,), 2007, "en", None, Votes(50, 4.0, 7.5, 900, 9.0))
    alike = CandidateMovie(3, "Delicatessen", (COMEDY,), 1991, "fr", None, Votes(5, 4.0, 7, 90, 2))
    reader = FakeReader([movie(1, COMEDY), zodiac, alike], [amelie])
    models = FakeModels(InMemoryServedModel.empty())  # no model yet: content stands in
    found = await RecommendMovies(reading_of(reader), models, InMemoryCache())(USER, limit=2)
    reasons = {item.movie.title: item.match.reasons for item in found}
    assert not any(r.startswith("Because") for r in reasons["Zodiac"])
    assert "Because you rated Amélie ★★★★★" in reasons["Delicatessen"]
    assert all(item.model_version is None for item in found)


async def test_reasons_are_material_and_genres_clearly_liked() -> None:
    # Movie 3 owes 85 % of its score to Heat and 15 % to the other rated movie (not named).
    other = HistoryEntry(2, "Ronin", 3, (COMEDY,), 1998, "en", NOW - timedelta(days=2))
    reader = FakeReader([movie(1, CRIME), movie(2, COMEDY), movie(3, COMEDY)], [HEAT, other])
    models = FakeModels(served(1, {(1, 3): 0.9, (2, 3): 0.3}))
    found = await RecommendMovies(reading_of(reader), models, InMemoryCache())(USER, limit=1)
    reasons = found[0].match.reasons
    assert [r for r in reasons if r.startswith("Because")] == [
        "Because you rated Heat ★★★★★ (85% of the model's score)"
    ]
    assert not any(r.startswith("You like") for r in reasons)  # Comedy: a 3-star, neutral


async def test_the_list_and_the_single_movie_show_the_same_score() -> None:
    reader = FakeReader([movie(n, CRIME if n % 2 else COMEDY) for n in range(1, 8)], [HEAT])
    edges = {(1, n): 1.0 / n for n in range(2, 8)}
    models = FakeModels(served(1, edges))
    cache = InMemoryCache()
    listed = await RecommendMovies(reading_of(reader), models, cache)(USER, limit=5)
    for item in listed:
        single = await ExplainMatch(reading_of(reader), models, cache)(USER, item.movie.movie_id)
        assert single.match == item.match
        assert single.model_version == item.model_version == 1
