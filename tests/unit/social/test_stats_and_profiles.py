"""Statistics are pure functions of aggregates; profile changes are checked before any I/O."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.accounts.users import User
from app.domain.shared.errors import InvalidInput
from app.domain.social.profiles import ProfileChanges, is_web_url
from app.domain.social.stats import (
    GenreFacts,
    RatedMovie,
    StatsFacts,
    build_stats,
    favorite_decade,
    favorite_genres,
    genre_averages,
    month_start,
    monthly_counts,
)

GENRES = (
    GenreFacts(1, "Action", ratings=6, liked=1, average=2.5),
    GenreFacts(2, "Drama", ratings=4, liked=4, average=4.5),
    GenreFacts(3, "Comedy", ratings=2, liked=0, average=2.0),
    GenreFacts(4, "Horror", ratings=1, liked=1, average=4.0),
    GenreFacts(5, "Crime", ratings=1, liked=1, average=5.0),
    GenreFacts(6, "War", ratings=1, liked=1, average=4.0),
    GenreFacts(7, "Anime", ratings=1, liked=1, average=4.0),
)


def test_favorite_genres_are_the_five_most_liked_and_never_unliked_ones() -> None:
    top = favorite_genres(GENRES)
    assert [g.name for g in top] == ["Drama", "Action", "Anime", "Crime", "Horror"]
    assert "Comedy" not in [g.name for g in top]


def test_genre_averages_cover_the_most_rated_genres() -> None:
    assert [g.name for g in genre_averages(GENRES)] == [
        "Action",
        "Drama",
        "Comedy",
        "Anime",
        "Crime",
    ]


def test_favorite_decade_prefers_the_recent_one_on_a_tie() -> None:
    assert favorite_decade(((1970, 3), (1990, 5), (2000, 5))) == 2000
    assert favorite_decade(()) is None


def test_months_run_back_across_a_year_and_fill_gaps() -> None:
    assert month_start(date(2026, 2, 14), 3) == date(2025, 11, 1)
    months = monthly_counts(((date(2026, 1, 1), 2), (date(2025, 3, 1), 9)), date(2026, 2, 14))
    assert months[0] == (date(2025, 3, 1), 9)
    assert months[-2:] == ((date(2026, 1, 1), 2), (date(2026, 2, 1), 0))
    assert len(months) == 12


def test_build_stats_shapes_the_original_fields_and_the_new_ones() -> None:
    facts = StatsFacts(
        total_ratings=3,
        average_rating=3.666666,
        distribution=((5, 1), (4, 1), (2, 1)),
        reviews=1,
        watch_minutes=385,
        compared_movies=2,
        own_average_on_compared=4.5,
        community_average_on_compared=3.25,
        highest=RatedMovie(1, "Heat", 5),
        lowest=RatedMovie(2, "Alien", 2),
        genres=GENRES,
        decades=((1990, 2),),
        playlists=4,
    )

    stats = build_stats(facts, date(2026, 11, 24))

    assert stats.average_rating == 3.67
    assert stats.total_watch_time_hours == 6.4
    assert stats.score_distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert stats.community_comparison.difference == 1.25
    assert stats.favorite_decade == 1990 and stats.playlists_count == 4
    empty = build_stats(StatsFacts(), date(2026, 11, 24))
    # Statistics of an empty history are 0, as the original API answered.
    assert empty.average_rating == 0 and empty.community_comparison.difference == 0


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://cdn.example/a.png", True),
        ("http://example.org/x", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/a.png", False),
        ("https://", False),
        ("//example.org/a.png", False),
        ("https://exa mple.org/", False),
        ("https://" + "a" * 600, False),
    ],
)
def test_avatar_urls_are_http_or_https_only(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_profile_changes_merge_onto_the_current_profile() -> None:
    user = User(
        1, "alice", "a@x.test", None, favorite_genres=(18,), bio="hi", avatar_url="https://x.test/a"
    )
    assert ProfileChanges.merged(user, {"bio": " new "}) == ProfileChanges(
        (18,), "new", "https://x.test/a"
    )
    assert ProfileChanges.merged(user, {"avatar_url": None, "favorite_genres": [28, 28]}) == (
        ProfileChanges((28,), "hi", None)
    )
    with pytest.raises(InvalidInput):
        ProfileChanges.merged(user, {"bio": "b" * 501})
