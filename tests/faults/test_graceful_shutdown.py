"""SIGTERM while a request is in flight: `nexus serve` stops accepting, lets the request finish,
closes its pools and exits 0."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

from tests.conftest import TEST_JWT_SECRET
from tests.support.server_process import (
    clean_env,
    free_port,
    start_serving,
    wait_until_serving,
)

BODY = b'{"username": "nobody", "password": "not the password"}'


def test_an_in_flight_request_completes_after_sigterm(
    database_url_for_test: str, tmp_path: Path
) -> None:
    port = free_port()
    env = clean_env(
        DATABASE_URL=database_url_for_test,
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        JWT_SECRET=TEST_JWT_SECRET,
        NEXUS_ENV="test",
        RATE_LIMIT_ENABLED="false",
    )
    process = start_serving(env, tmp_path, port, "--no-migrate", "--graceful-timeout", "10")
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", process)
        with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
            # Headers and half the body: the request is in flight, the app waits for the rest.
            connection.sendall(
                b"POST /api/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\n"
                + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
                + BODY[:10]
            )
            time.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert process.poll() is None, "the server quit with a request in flight"
            connection.sendall(BODY[10:])
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = connection.recv(65_536)
                if not chunk:
                    break
                answer += chunk
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 "), answer[:200]
        status = int(status_line.split()[1])
        assert status < 500, answer[:500]
        assert b'"error"' in answer or b'"access"' in answer
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
