"""The published match score and its parts: pure functions, no I/O."""

from __future__ import annotations

import pytest

from app.domain.recommendations.history import (
    ContentFeatures,
    collaborative_history,
    content_history,
    content_similarity,
    strongest_source,
)
from app.domain.recommendations.quality import (
    Votes,
    bayesian_quality,
    log_popularity,
    quality_popularity,
)
from app.domain.recommendations.score import (
    because_you_rated,
    highly_rated,
    match_score,
    you_like,
)
from app.domain.recommendations.taste import RatedMovie, genre_affinity, genre_taste

CRIME, THRILLER, COMEDY, DRAMA = 80, 53, 35, 18
SHARE = {CRIME: 0.1, THRILLER: 0.1, COMEDY: 0.3, DRAMA: 0.4}


def rated(score: int, *genres: int, movie_id: int = 1, title: str = "Heat") -> RatedMovie:
    return RatedMovie(movie_id=movie_id, title=title, score=score, genre_ids=genres)


def test_breakdown_sums_to_the_score_with_the_published_weights() -> None:
    result = match_score(0.5, 1.0, 0.25)
    assert result.breakdown.genre_affinity == 20.0
    assert result.breakdown.rating_history == 30.0
    assert result.breakdown.quality_popularity == 7.5
    assert result.score == 57.5
    assert match_score(1, 1, 1).score == 100.0
    assert match_score(0, 0, 0).score == 0.0


@pytest.mark.parametrize("parts", [(1.1, 0, 0), (0, -0.01, 0), (0, 0, float("nan"))])
def test_parts_outside_zero_one_are_refused(parts: tuple[float, float, float]) -> None:
    with pytest.raises(ValueError, match="must lie in"):
        match_score(*parts)


def test_rounded_parts_still_sum_exactly() -> None:
    for a in range(0, 101, 7):
        result = match_score(a / 101, (100 - a) / 103, a / 107)
        parts = result.breakdown
        assert result.score == round(
            parts.genre_affinity + parts.rating_history + parts.quality_popularity, 1
        )


def test_disliked_genres_rank_below_liked_ones() -> None:
    history = [rated(5, CRIME, THRILLER), rated(5, CRIME), rated(1, COMEDY), rated(2, COMEDY)]
    taste = genre_taste(history, SHARE)
    assert taste.of(CRIME) > taste.of(THRILLER) > 0.5 > taste.of(COMEDY)
    assert genre_affinity(taste, (CRIME, THRILLER)) > genre_affinity(taste, (COMEDY,))
    assert taste.favourites([COMEDY, CRIME, THRILLER]) == [CRIME, THRILLER]


def test_a_common_genre_counts_less_than_a_rare_one_watched_as_often() -> None:
    history = [rated(4, CRIME), rated(4, DRAMA), rated(3, CRIME, DRAMA)]
    taste = genre_taste(history, SHARE)
    assert taste.of(CRIME) > taste.of(DRAMA)  # Drama is 4x as common in the catalogue


def test_profile_genres_lead_for_new_users_and_fade_with_ratings() -> None:
    new = genre_taste([], SHARE, favorite_genres=[COMEDY])
    assert new.of(COMEDY) == 1.0
    assert new.of(CRIME) == 0.5
    seasoned = genre_taste([rated(1, COMEDY, movie_id=i) for i in range(30)], SHARE, [COMEDY])
    assert seasoned.of(COMEDY) < 0.5


def test_a_movie_without_genres_is_neutral() -> None:
    assert genre_affinity(genre_taste([rated(5, CRIME)], SHARE), ()) == 0.5


def test_content_similarity_uses_genres_era_and_language() -> None:
    heat = ContentFeatures((CRIME, THRILLER), 1995, "en")
    assert content_similarity(heat, heat) == pytest.approx(1.0)
    assert content_similarity(heat, ContentFeatures((CRIME, THRILLER), 1995, "fr")) < 1.0
    far = ContentFeatures((COMEDY,), 1950, "fr")
    assert content_similarity(heat, far) == 0.0
    assert content_history(heat, [(heat, 5)]) == pytest.approx(0.5)  # weaker than co-ratings
    assert content_history(heat, [(heat, 3)]) == 0.0  # only movies the user liked count


def test_collaborative_history_is_relative_to_the_users_best_candidate() -> None:
    assert collaborative_history(2.0, 4.0) == 0.25  # calibrated: half the best reads a quarter
    assert collaborative_history(5.0, 4.0) == 1.0
    assert collaborative_history(-1.0, 4.0) == 0.0
    assert collaborative_history(1.0, 0.0) == 0.0
    assert strongest_source({10: 0.2, 11: 0.7, 12: -1.0}) == 11
    assert strongest_source({10: -0.2}) is None


def test_quality_is_a_bayesian_average_of_local_and_tmdb_votes() -> None:
    assert bayesian_quality(Votes()) == pytest.approx(0.6)  # the prior alone
    few = bayesian_quality(Votes(ratings_count=1, rating_average=5.0))
    many = bayesian_quality(Votes(ratings_count=200, rating_average=5.0))
    assert 0.6 < few < many <= 1.0
    assert bayesian_quality(Votes(tmdb_vote_average=8.0, tmdb_vote_count=100_000)) == (
        pytest.approx(0.8, abs=0.001)
    )


def test_popularity_is_logarithmic_and_bounded() -> None:
    assert log_popularity(Votes(tmdb_vote_count=0), 1000) == 0.0
    assert log_popularity(Votes(tmdb_vote_count=1000), 1000) == pytest.approx(1.0)
    middle = log_popularity(Votes(tmdb_vote_count=31), 1023)
    assert middle == pytest.approx(0.5)
    assert 0.0 <= quality_popularity(Votes(ratings_count=3, rating_average=2.0), 10) <= 1.0


def test_reasons_read_like_sentences() -> None:
    assert because_you_rated(rated(5, CRIME)) == "Because you rated Heat ★★★★★"
    assert you_like(["Crime", "Thriller"]) == "You like Crime and Thriller"
    assert you_like(["Crime", "Drama", "Thriller"]) == "You like Crime, Drama and Thriller"
    assert you_like([]) is None
    assert highly_rated(1204, 4.3) == "Highly rated by 1 204 viewers"
    assert highly_rated(1204, 3.2) is None
    assert highly_rated(3, 5.0) is None
