"""MovieLens titles, genres and ratings translated to ours."""

from __future__ import annotations

import pytest

from app.model_fitting.movielens_format import TMDB_GENRES, split_title, stars, tmdb_genres


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Toy Story (1995)", ("Toy Story", 1995)),
        ("Usual Suspects, The (1995)", ("The Usual Suspects", 1995)),
        ("American President, The", ("The American President", None)),
        (
            "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
            ("The City of Lost Children (Cité des enfants perdus, La)", 1995),
        ),
        ("Seven (Se7en) (1995)", ("Seven (Se7en)", 1995)),
        ("Babylon 5", ("Babylon 5", None)),
        ("Fawlty Towers (1975-1979)", ("Fawlty Towers", 1975)),
        ("  Heat (1995) ", ("Heat", 1995)),
    ],
)
def test_titles_split_into_title_and_year(raw: str, expected: tuple[str, int | None]) -> None:
    assert split_title(raw) == expected


def test_genres_map_to_tmdb_ids() -> None:
    assert tmdb_genres(["Children's", "Musical", "Sci-Fi"]) == (10751, 10402, 878)
    assert tmdb_genres(["Children"]) == (10751,)
    assert tmdb_genres(["Film-Noir", "Crime"]) == (80, 9648)  # no duplicate Crime
    assert tmdb_genres(["IMAX", "unknown", "(no genres listed)"]) == ()
    assert set(tmdb_genres(["Action", "Western", "War", "Horror"])) <= set(TMDB_GENRES)
    assert len(TMDB_GENRES) == 19


@pytest.mark.parametrize(
    ("rating", "expected"), [(0.5, 1), (1.0, 1), (1.5, 2), (3.0, 3), (3.5, 4), (4.5, 5), (5.0, 5)]
)
def test_half_stars_round_up(rating: float, expected: int) -> None:
    assert stars(rating) == expected


@pytest.mark.parametrize("rating", [0.0, -1.0, 5.5, float("nan")])
def test_impossible_ratings_are_refused(rating: float) -> None:
    with pytest.raises(ValueError, match="not a MovieLens rating"):
        stars(rating)
