"""Pure pieces of the TMDb adapter: normalisation, Retry-After parsing, redaction, cache keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.adapters.tmdb import codec
from app.adapters.tmdb.normalise import details_from_body, movie_from_item, page_from_body
from app.adapters.tmdb.requests import list_request, search_request
from app.adapters.tmdb.transport import RetryPolicy, _retry_after_seconds, redact
from app.domain.tmdb.ports import TmdbBadResponse


def test_a_minimal_item() -> None:
    movie = movie_from_item({"id": 3, "original_title": "Ur", "release_date": "1999-13-45"})
    assert movie.title == "Ur" and movie.release_date is None  # invalid date: unknown
    assert movie.genre_ids == () and movie.vote_average == 0.0 and movie.poster_path is None


@pytest.mark.parametrize(
    "item", [{"id": True, "title": "x"}, {"id": -1, "title": "x"}, {"id": 4}, {"title": "no id"}]
)
def test_unreadable_items_are_refused(item: dict[str, object]) -> None:
    with pytest.raises((KeyError, ValueError)):
        movie_from_item(item)


def test_details_without_genres_or_runtime() -> None:
    details = details_from_body(
        {"id": 8, "title": "T", "genres": None, "runtime": 0, "imdb_id": ""}
    )
    assert details.genres == () and details.movie.runtime is None and details.movie.imdb_id is None
    with pytest.raises(TmdbBadResponse):
        details_from_body({"id": 8, "title": "T", "genres": [{"id": "x"}]})


def test_a_page_round_trips_through_the_cache_codec() -> None:
    first = {"id": 1, "title": "A", "release_date": "2001-02-03", "genre_ids": [18]}
    second = {"id": 2, "title": "B", "release_date": "", "poster_path": None, "vote_average": 7}
    page = page_from_body(
        {"page": 2, "total_pages": 9, "total_results": 170, "results": [first, second]}
    )
    envelope = codec.decode(codec.encode({"value": codec.dump(page)}))
    assert envelope is not None and codec.load_page(envelope["value"]) == page


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert _retry_after_seconds("3") == 3.0
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert 55 < (_retry_after_seconds(in_a_minute) or 0) <= 60
    assert _retry_after_seconds("soon") is None and _retry_after_seconds(None) is None


def test_backoff_grows_is_capped_and_jittered() -> None:
    policy = RetryPolicy(backoff_base=1, backoff_max=4)
    for attempt, step in enumerate((1, 2, 4, 4, 4)):
        delays = {policy.backoff(attempt) for _ in range(20)}
        assert all(step / 2 <= delay <= step for delay in delays) and len(delays) > 1


def test_secrets_are_redacted() -> None:
    line = 'HTTP Request: GET http://x/3/movie/1?language=en&api_key=abc123 "HTTP/1.1 200 OK"'
    assert (
        redact(line)
        == 'HTTP Request: GET http://x/3/movie/1?language=en&api_key=*** "HTTP/1.1 200 OK"'
    )
    assert redact("Authorization: Bearer eyJ.abc-def_1") == "Authorization: Bearer ***"


def test_cache_keys_sort_parameters_and_skip_unset_ones() -> None:
    assert search_request("Alien", 1, None, False, "en-US").cache_key() == (
        "tmdb:/search/movie?include_adult=false&language=en-US&page=1&query=Alien"
    )
    assert list_request("trending", 3, "week", "fr-FR").cache_key() == (
        "tmdb:/trending/movie/week?language=fr-FR&page=3"
    )
