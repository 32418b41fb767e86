"""PostgreSQL is stopped and started again while a steady mix of reads, sign-ins and rating
writes keeps arriving, with both stop modes: `fast` (sessions terminated, "the database system
is shutting down") and `immediate` (a crash, then recovery: "the database system is starting
up"). Requests are in flight through the shutdown and the start-up; none of them is a 500,
every refusal is a 503 with `Retry-After`, every acknowledged rating survives, no refused one
was written, and each movie's aggregates equal its rating rows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.bootstrap.settings import Settings
from app.cli import run_migrations
from tests.conftest import client_for
from tests.faults.servers import ThrowawayPostgres
from tests.support.social_data import fetch_all

PASSWORD = "blue-Heron-42"
MOVIES = 3000
RECOVERY_SECONDS = 5.0


@dataclass(frozen=True)
class Answer:
    kind: str
    started: float
    ended: float
    status: int
    retry_after: str | None
    movie: int | None = None
    score: int | None = None


class Traffic:
    """Workers that send one kind of request after another until told to stop."""

    def __init__(self, http: httpx.AsyncClient, bearer: dict[str, str], movies: list[int]):
        self.http = http
        self.bearer = bearer
        self.movies: Iterator[int] = iter(movies)
        self.answers: list[Answer] = []
        self.stopping = asyncio.Event()

    async def _send(self, kind: str, request: Awaitable[httpx.Response], **fields: int) -> None:
        started = time.monotonic()
        response = await request
        self.answers.append(
            Answer(
                kind,
                started,
                time.monotonic(),
                response.status_code,
                response.headers.get("retry-after"),
                **fields,
            )
        )

    async def read(self) -> None:
        while not self.stopping.is_set():
            await self._send("me", self.http.get("/api/auth/me/", headers=self.bearer))
            await self._send("movies", self.http.get("/api/movies/", params={"page_size": 5}))

    async def sign_in(self) -> None:
        body = {"username": "steady", "password": PASSWORD}
        while not self.stopping.is_set():
            await self._send("sign-in", self.http.post("/api/auth/token/", json=body))

    async def write(self, worker: int) -> None:
        for movie in self.movies:
            if self.stopping.is_set():
                return
            score = 1 + (movie + worker) % 5
            body = {"movie": movie, "score": score}
            request = self.http.post("/api/ratings/", json=body, headers=self.bearer)
            await self._send("rating", request, movie=movie, score=score)

    def in_flight(self, begin: float, end: float) -> list[Answer]:
        return [a for a in self.answers if a.started < end and a.ended > begin]


async def insert_movies(app: FastAPI, count: int) -> list[int]:
    async with app.state.runtime.database.unit_of_work() as uow:
        rows = await uow.connection.execute(
            text(
                "INSERT INTO movies (title) SELECT 'Movie ' || n FROM generate_series(1, :n) n "
                "RETURNING id"
            ),
            {"n": count},
        )
        ids = [row.id for row in rows]
        await uow.commit()
    return ids


async def until_answered(http: httpx.AsyncClient, bearer: dict[str, str]) -> float:
    back = time.monotonic()
    while (await http.get("/api/auth/me/", headers=bearer)).status_code != 200:
        assert time.monotonic() - back < RECOVERY_SECONDS
        await asyncio.sleep(0.05)
    return time.monotonic() - back


@pytest.mark.parametrize("mode", ["fast", "immediate"])
async def test_a_restart_under_traffic_answers_503_and_loses_nothing(
    mode: str,
    throwaway_postgres: ThrowawayPostgres,
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> None:
    await asyncio.to_thread(run_migrations, throwaway_postgres.url)
    app = await start_app(
        make_settings(
            database_url=throwaway_postgres.url,
            database_pool_timeout=1.0,
            database_connect_timeout=1.0,
        )
    )
    movies = await insert_movies(app, MOVIES)
    async with client_for(app, timeout=30) as http:
        registered = await http.post(
            "/api/auth/register/",
            json={"username": "steady", "email": "steady@example.com", "password": PASSWORD},
        )
        assert registered.status_code == 201, registered.text
        signed_in = await http.post(
            "/api/auth/token/", json={"username": "steady", "password": PASSWORD}
        )
        bearer = {"Authorization": f"Bearer {signed_in.json()['access']}"}
        traffic = Traffic(http, bearer, movies)
        workers = [
            asyncio.create_task(job)
            for job in (
                traffic.read(),
                traffic.read(),
                traffic.sign_in(),
                *(traffic.write(worker) for worker in range(4)),
            )
        ]
        await asyncio.sleep(0.5)
        stop_began = time.monotonic()
        await asyncio.to_thread(throwaway_postgres.stop, mode)
        stop_ended = time.monotonic()
        await asyncio.sleep(0.3)
        start_began = time.monotonic()
        await asyncio.to_thread(throwaway_postgres.start)
        start_ended = time.monotonic()
        recovery = await until_answered(http, bearer)
        await asyncio.sleep(0.5)
        traffic.stopping.set()
        await asyncio.gather(*workers)

    answers = traffic.answers
    assert traffic.in_flight(stop_began, stop_ended), "no request went through the shutdown"
    assert traffic.in_flight(start_began, start_ended), "no request went through the start-up"
    expected = {"me": {200}, "movies": {200}, "sign-in": {200}, "rating": {201}}
    unexpected = [a for a in answers if a.status not in expected[a.kind] | {503}]
    assert unexpected == [], unexpected[:5]
    refusals = [a for a in answers if a.status == 503]
    assert refusals, "the outage refused nothing"
    assert all(a.retry_after for a in refusals)
    assert recovery < RECOVERY_SECONDS

    acknowledged = {(a.movie, a.score) for a in answers if a.kind == "rating" and a.status == 201}
    refused = {(a.movie, a.score) for a in answers if a.kind == "rating" and a.status == 503}
    rows = {
        (r.movie_id, r.score) for r in await fetch_all(app, "SELECT movie_id, score FROM ratings")
    }
    assert acknowledged and refused
    assert rows == acknowledged
    mismatched = await fetch_all(
        app,
        "SELECT m.id FROM movies m LEFT JOIN ratings r ON r.movie_id = m.id GROUP BY m.id "
        "HAVING m.ratings_count <> count(r.id) OR m.ratings_sum <> coalesce(sum(r.score), 0)",
    )
    assert mismatched == []
