"""A fake TMDb: a real HTTP/1.1 server on 127.0.0.1 (a free port, a background thread) that
answers the nine documented paths with bodies valid against TMDb's OpenAPI document, counts the
calls it gets, and misbehaves on demand (latency, 429, plain-text 500, malformed JSON, hangs)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support import fake_tmdb_data as data

API_KEY = "fake-v3-key-7f3a9c21d4e8b6a0"
READ_TOKEN = "fake-read-token-eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json;charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering; longer than the client's time-out = a hang

    @classmethod
    def json(cls, status: int, body: Any, **kwargs: Any) -> Answer:
        return cls(status, json.dumps(body).encode(), **kwargs)

    @classmethod
    def tmdb_error(cls, status: int, code: int, message: str, **kwargs: Any) -> Answer:
        envelope = {"status_code": code, "status_message": message, "success": False}
        return cls.json(status, envelope, **kwargs)

    @classmethod
    def rate_limited(cls, retry_after: str | None = None) -> Answer:
        headers = (("Retry-After", retry_after),) if retry_after is not None else ()
        message = "Your request count is over the allowed limit."
        return cls.tmdb_error(429, 25, message, headers=headers)

    @classmethod
    def server_error_text(cls) -> Answer:
        """What a proxy in front of TMDb answers: plain text, not JSON."""
        return cls(500, b"500 Internal Server Error\n", content_type="text/plain")

    @classmethod
    def malformed_json(cls) -> Answer:
        return cls(200, b'{"page": 1, "results": [{"id": 5,', content_type="application/json")

    @classmethod
    def hang(cls, seconds: float) -> Answer:
        return cls(200, b"{}", delay=seconds)


INVALID_KEY = Answer.tmdb_error(401, 7, "Invalid API key: You must be granted a valid key.")
NOT_FOUND = Answer.tmdb_error(404, 34, "The resource you requested could not be found.")


@dataclass(frozen=True)
class Call:
    path: str
    query: dict[str, str]
    authorization: str | None


@dataclass
class FakeTmdb:
    latency: float = 0.0  # seconds added to every request
    calls: list[Call] = field(default_factory=list)
    _scripted: dict[tuple[str, str | None], list[Answer]] = field(default_factory=dict)
    _always: dict[tuple[str, str | None], Answer] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/3"

    def count(self, path: str) -> int:
        """Calls whose path starts with `path` (given without the /3 prefix)."""
        with self._lock:
            return sum(1 for call in self.calls if call.path.startswith("/3" + path))

    def script(self, path: str, *answers: Answer, page: int | None = None) -> None:
        """The next calls to paths starting with `path` (and for `page`, if given) get these
        answers, in order."""
        with self._lock:
            self._scripted.setdefault(_rule(path, page), []).extend(answers)

    def always(self, path: str, answer: Answer | None, *, page: int | None = None) -> None:
        """Every call to paths starting with `path` (and for `page`, if given) gets `answer`;
        None goes back to normal."""
        with self._lock:
            if answer is None:
                self._always.pop(_rule(path, page), None)
            else:
                self._always[_rule(path, page)] = answer

    def answer(self, path: str, query: dict[str, str], authorization: str | None) -> Answer:
        with self._lock:
            self.calls.append(Call(path, query, authorization))
            page = query.get("page", "1")
            for (prefix, only_page), answers in self._scripted.items():
                if path.startswith(prefix) and only_page in (None, page) and answers:
                    return answers.pop(0)
            for (prefix, only_page), answer in self._always.items():
                if path.startswith(prefix) and only_page in (None, page):
                    return answer
        if query.get("api_key") != API_KEY and authorization != f"Bearer {READ_TOKEN}":
            return INVALID_KEY
        return route(path, query)

    @contextmanager
    def running(self) -> Iterator[FakeTmdb]:
        fake = self

        class Handler(_Handler):
            tmdb = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()


def _rule(path: str, page: int | None) -> tuple[str, str | None]:
    return "/3" + path, None if page is None else str(page)


def route(path: str, query: dict[str, str]) -> Answer:
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        return Answer.tmdb_error(400, 22, "Invalid page: Pages start at 1 and max at 500.")
    if page > 500:
        return Answer.json(422, {"errors": ["page must be less than or equal to 500"]})
    if page < 1:
        return Answer.tmdb_error(400, 22, "Invalid page: Pages start at 1 and max at 500.")
    for category, spec_path in data.LIST_PATHS.items():
        if category != "trending" and path == spec_path:
            return Answer.json(200, data.list_page(category, page))
    if path in ("/3/trending/movie/day", "/3/trending/movie/week"):
        return Answer.json(200, data.list_page("trending", page))
    if path == "/3/search/movie":
        if not query.get("query"):
            return Answer.json(
                200, {"page": 1, "results": [], "total_pages": 1, "total_results": 0}
            )
        return Answer.json(200, data.search(query["query"], page))
    if path == "/3/genre/movie/list":
        return Answer.json(200, data.genre_list(query.get("language", "en-US")))
    if path == "/3/configuration":
        return Answer.json(200, data.example("/3/configuration"))
    if path.startswith("/3/movie/") and path.removeprefix("/3/movie/").isdigit():
        body = data.details(int(path.removeprefix("/3/movie/")))
        return NOT_FOUND if body is None else Answer.json(200, body)
    return NOT_FOUND


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as TMDb
    # Headers and body go out in two writes: with Nagle's algorithm on, the body would wait for
    # the client's delayed ACK (40 ms a response).
    disable_nagle_algorithm = True
    tmdb: FakeTmdb

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        answer = self.tmdb.answer(url.path, query, self.headers.get("Authorization"))
        time.sleep(self.tmdb.latency + answer.delay)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tests read `calls` instead


def main() -> None:
    """Serve the fake in its own process (the benchmark does, so that it does not share the
    client's interpreter): prints its base URL, then serves until stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="a fake TMDb on 127.0.0.1")
    parser.add_argument("--latency", type=float, default=0.0)
    arguments = parser.parse_args()
    with FakeTmdb(latency=arguments.latency).running() as fake:
        print(fake.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
