"""The HTTP client against the fake TMDb misbehaving: credentials, retries, time-outs and bodies
that are not what TMDb documents. Every failure is a domain error, never a crash."""

from __future__ import annotations

import logging

import pytest

from app.domain.tmdb.ports import (
    TmdbBadResponse,
    TmdbCredentialsRejected,
    TmdbNotFound,
    TmdbRateLimited,
    TmdbRequestRejected,
    TmdbTimeout,
    TmdbUnavailable,
)
from tests.support.fake_tmdb import API_KEY, READ_TOKEN, Answer, FakeTmdb
from tests.support.tmdb_fixtures import CLIENT_TIMEOUT, MakeTmdbClient, RecordingSleep


async def test_an_api_key_travels_as_a_parameter(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    await make_tmdb_client(api_key=API_KEY).genres()
    call = fake_tmdb.calls[-1]
    assert call.query["api_key"] == API_KEY and call.authorization is None


async def test_a_read_token_travels_as_a_bearer_header(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    await make_tmdb_client(api_key=API_KEY, read_token=READ_TOKEN).genres()
    call = fake_tmdb.calls[-1]
    assert call.authorization == f"Bearer {READ_TOKEN}" and "api_key" not in call.query


async def test_a_rejected_key_names_the_problem_and_is_not_retried(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, caplog: pytest.LogCaptureFixture
) -> None:
    wrong_key = "wrong-key-5b1d0c9e"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TmdbCredentialsRejected) as raised:
        await make_tmdb_client(api_key=wrong_key).search("alien")
    assert "Invalid API key" in raised.value.message and "code 7" in raised.value.message
    assert fake_tmdb.count("/search/movie") == 1
    assert wrong_key not in raised.value.message
    assert caplog.records, "httpx logs each request at INFO: the check below must see them"
    assert all(wrong_key not in record.getMessage() for record in caplog.records)


async def test_the_key_never_reaches_a_log_line_or_an_error(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_tmdb.script("/movie/popular", Answer.server_error_text(), Answer.server_error_text())
    fake_tmdb.always("/search/movie", Answer.hang(CLIENT_TIMEOUT * 3))
    client = make_tmdb_client(api_key=API_KEY)
    await client.movie_list("popular", 2)
    with pytest.raises(TmdbTimeout) as raised:
        await client.search("alien")
    messages = [record.getMessage() for record in caplog.records] + [raised.value.message]
    assert any("api_key=***" in message for message in messages)
    assert all(API_KEY not in message for message in messages)


async def test_resource_not_found_is_not_found(make_tmdb_client: MakeTmdbClient) -> None:
    with pytest.raises(TmdbNotFound) as raised:
        await make_tmdb_client().movie(424242424)
    assert "code 34" in raised.value.message


async def test_a_page_over_500_is_refused_by_tmdb_and_not_retried(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    with pytest.raises(TmdbRequestRejected) as raised:
        await make_tmdb_client().movie_list("popular", 501)
    assert "422" in raised.value.message and "less than or equal to 500" in raised.value.message
    assert fake_tmdb.count("/movie/popular") == 1


async def test_429_with_retry_after_waits_as_told_then_succeeds(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, sleeps: RecordingSleep
) -> None:
    fake_tmdb.script("/movie/top_rated", Answer.rate_limited("1"))
    page = await make_tmdb_client().movie_list("top_rated", 3)
    assert len(page.movies) == 20
    assert sleeps.delays == [1.0]
    assert fake_tmdb.count("/movie/top_rated") == 2


async def test_429_without_retry_after_backs_off_with_growing_jittered_delays(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, sleeps: RecordingSleep
) -> None:
    fake_tmdb.script("/movie/upcoming", *[Answer.rate_limited()] * 3)
    await make_tmdb_client().movie_list("upcoming", 2)
    # base 1 ms doubling, capped at 4 ms, each delay between half and all of its step
    assert len(sleeps.delays) == 3
    for delay, step in zip(sleeps.delays, (0.001, 0.002, 0.004), strict=True):
        assert step / 2 <= delay <= step


async def test_429_that_lasts_becomes_rate_limited_with_retry_after(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, sleeps: RecordingSleep
) -> None:
    fake_tmdb.always("/search/movie", Answer.rate_limited("30"))
    with pytest.raises(TmdbRateLimited) as raised:
        await make_tmdb_client().search("alien")
    # Longer than we are willing to wait: passed on at once, not slept through.
    assert raised.value.retry_after == 30 and sleeps.delays == []
    assert fake_tmdb.count("/search/movie") == 1


async def test_a_plain_text_500_is_retried_then_reported(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, sleeps: RecordingSleep
) -> None:
    fake_tmdb.always("/genre/movie/list", Answer.server_error_text())
    with pytest.raises(TmdbUnavailable) as raised:
        await make_tmdb_client().genres()
    assert "500" in raised.value.message and "non-JSON" in raised.value.message
    assert fake_tmdb.count("/genre/movie/list") == 4  # one try and three retries
    assert len(sleeps.delays) == 3


async def test_a_time_out_is_retried_then_reported(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    fake_tmdb.script("/movie/11", Answer.hang(CLIENT_TIMEOUT * 3))
    details = await make_tmdb_client().movie(11)  # the retry gets an answer
    assert details.movie.title == "Star Wars"
    fake_tmdb.always("/movie/11", Answer.hang(CLIENT_TIMEOUT * 3))
    with pytest.raises(TmdbTimeout):
        await make_tmdb_client().movie(11)


async def test_malformed_json_is_a_bad_response(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    fake_tmdb.always("/movie/now_playing", Answer.malformed_json())
    with pytest.raises(TmdbBadResponse) as raised:
        await make_tmdb_client().movie_list("now_playing")
    assert "malformed JSON" in raised.value.message


@pytest.mark.parametrize(
    "body",
    [[1, 2, 3], {"page": 1}, {"results": "none"}, "text"],
    ids=["a list", "no results", "results not a list", "a string"],
)
async def test_an_unexpected_shape_is_a_bad_response(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient, body: object
) -> None:
    fake_tmdb.always("/movie/popular", Answer.json(200, body))
    with pytest.raises(TmdbBadResponse):
        await make_tmdb_client().movie_list("popular")


async def test_an_unreadable_item_is_skipped_not_fatal(
    fake_tmdb: FakeTmdb, make_tmdb_client: MakeTmdbClient
) -> None:
    items = [
        {"id": "x", "title": "bad id"},
        {"id": 5},
        {"id": 7, "title": "Fine", "vote_average": 11},
    ]
    fake_tmdb.always("/movie/popular", Answer.json(200, {"page": 1, "results": items}))
    page = await make_tmdb_client().movie_list("popular")
    assert [movie.tmdb_id for movie in page.movies] == [7]
    assert page.movies[0].vote_average == 10.0  # clamped to the schema's range
