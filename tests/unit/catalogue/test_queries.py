"""The catalogue's rules that need no database: query checks, genre tokens, staff edits, images."""

from __future__ import annotations

import pytest

from app.domain.catalogue.details import full_distribution
from app.domain.catalogue.editing import checked_movie
from app.domain.catalogue.movies import MovieData
from app.domain.catalogue.queries import MovieQuery, genre_tokens, words
from app.domain.shared.errors import InvalidInput
from app.routers.catalogue.schemas import image_url


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"year": 99_999}, "year"),
        ({"min_rating": -1}, "min_rating"),
        ({"max_rating": float("nan")}, "max_rating"),
        ({"genre_mode": "most"}, "genre_mode"),
        ({"ordering": "-budget"}, "ordering"),
        ({"ordering": "--title"}, "ordering"),
        ({"genres": ("1",) * 21}, "genre"),
        ({"search": "x" * 201}, "search"),
        ({"min_votes": 2**31}, "min_votes"),
        ({"search": "a\x00b"}, "search"),
        ({"genres": ("drama\x00",)}, "genre"),
    ],
)
def test_bad_queries_name_the_field(arguments: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        MovieQuery(**arguments)  # type: ignore[arg-type]
    assert raised.value.details[0]["field"] == field


def test_ordering_defaults_to_popularity_unless_searching() -> None:
    assert (MovieQuery().order_field, MovieQuery().descending) == ("popularity", True)
    assert MovieQuery(search=" star ").ranked_by_relevance
    assert not MovieQuery(search="   ").ranked_by_relevance
    assert not MovieQuery(search="star", ordering="title").ranked_by_relevance
    assert (MovieQuery(ordering="title").order_field, MovieQuery(ordering="title").descending) == (
        "title",
        False,
    )


def test_words_keep_letters_and_digits_only() -> None:
    assert words("Spider-Man: No Way Home (2021)") == ("Spider", "Man", "No", "Way", "Home", "2021")
    assert words("a & b | !c:* 'd'") == ("a", "b", "c", "d")
    assert words("snake_case") == ("snake", "case")
    assert words("Amélie") == ("Amélie",)


def test_genre_tokens_split_ids_from_names() -> None:
    assert genre_tokens(("28", " Science Fiction ", "COMEDY")) == (
        (28,),
        ("science fiction", "comedy"),
    )
    with pytest.raises(InvalidInput):
        genre_tokens((" ",))
    # Superscript and Arabic-Indic digits are digits to `str.isdigit`, but not ids.
    assert genre_tokens(("²", "٢١")) == ((), ("²", "٢١"))


def test_staff_edits_are_cleaned_and_checked() -> None:
    cleaned = checked_movie(MovieData(title="  Heat ", genre_ids=(80, 18, 80)))
    assert (cleaned.title, cleaned.genre_ids) == ("Heat", (80, 18))
    for bad in (
        MovieData(title=" "),
        MovieData(title="x", vote_average=10.5),
        MovieData(title="x", runtime=-1),
    ):
        with pytest.raises(InvalidInput):
            checked_movie(bad)


def test_distribution_lists_every_score() -> None:
    assert full_distribution({5: 2, 1: 1}) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 2}


def test_image_urls() -> None:
    base = "https://image.tmdb.org/t/p/"
    assert image_url(base, "w500", "/a.jpg") == "https://image.tmdb.org/t/p/w500/a.jpg"
    assert image_url(base.rstrip("/"), "w1280", "b.jpg") == "https://image.tmdb.org/t/p/w1280/b.jpg"
    assert image_url(base, "w500", None) is None
    assert image_url(base, "w500", "") is None
