"""`nexus serve` itself: limits on the request head, and forwarded headers trusted only from the
configured proxies. Against a real server process, since both live below the ASGI app."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.support.server_process import clean_env, serving

SECRET = "serve-limits-" + "k" * 40


def raw_request(base: str, head: bytes) -> bytes:
    """Send `head` and read the answer; a server may close before it has read everything."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(head)
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
        return answer


def status_of(answer: bytes) -> int | None:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


def request_with(headers: list[tuple[str, str]]) -> bytes:
    lines = [b"GET /healthz HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [f"{name}: {value}".encode() for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def test_heads_a_browser_never_sends_are_refused(empty_database: str, tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=empty_database, JWT_SECRET=SECRET, NEXUS_DATA_DIR=str(tmp_path))
    with serving(env, tmp_path) as base:
        browser_like = [(f"X-Header-{n}", "v" * 200) for n in range(40)] + [("Cookie", "c" * 8000)]
        assert status_of(raw_request(base, request_with(browser_like))) == 200

        one_mebibyte = raw_request(base, request_with([("X-Big", "a" * 1024 * 1024)]))
        many = raw_request(base, request_with([(f"X-H{n}", "v") for n in range(10_000)]))
        for answer in (one_mebibyte, many):
            # A 431, or the connection closed before an answer could be read: never served.
            assert status_of(answer) in (431, None), answer[:200]
            assert b"healthz" not in answer and b'"status"' not in answer
        assert status_of(many) == 431 and b"headers_too_large" in many
        head = many.split(b"\r\n\r\n", 1)[0].lower()
        # Refused before the app: still with a request id and the security headers.
        assert b"\r\nx-request-id: " in head and b"\r\nx-content-type-options: nosniff" in head

        assert httpx.get(f"{base}/healthz").status_code == 200  # the server is still fine


def test_forwarded_headers_count_only_from_the_configured_proxies(
    empty_database: str, tmp_path: Path
) -> None:
    env = clean_env(
        DATABASE_URL=empty_database,
        JWT_SECRET=SECRET,
        NEXUS_DATA_DIR=str(tmp_path),
        RATE_LIMIT_ENABLED="true",
        RATE_LIMIT_AUTH="3/minute",
        # A proxy elsewhere: this test's connections come from loopback, so they are clients.
        FORWARDED_ALLOW_IPS="192.0.2.0/24",
    )
    with serving(env, tmp_path, "--proxy-headers") as base:
        statuses = [
            httpx.post(
                f"{base}/api/auth/token/",
                json={"username": "nobody", "password": "wrong-password"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(5)
        ]
    # Each request claims another client address; the limit still counts them as one client.
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]


def test_the_image_trusts_forwarded_headers_only_from_the_proxy_network() -> None:
    import yaml

    root = Path(__file__).resolve().parents[2]
    dockerfile = (root / "Dockerfile").read_text()
    assert "forwarded-allow-ips" not in dockerfile.lower() and "--proxy-headers" in dockerfile
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    edge = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    api = compose["services"]["api"]
    assert api["environment"]["FORWARDED_ALLOW_IPS"] == edge
    assert compose["services"]["proxy"]["networks"] == ["edge"]
    assert "edge" not in compose["services"]["postgres"]["networks"]
    assert api["environment"]["PUBLIC_BASE_URL"]
