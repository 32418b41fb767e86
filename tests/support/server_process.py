"""`nexus serve` as a real process on a free loopback port, for the tests that need one (the CLI,
the embedded PostgreSQL, graceful shutdown, the browser)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

NEXUS = str(Path(sys.executable).with_name("nexus"))


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the settings a test must choose itself."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "JWT_SECRET", "NEXUS_ENV", "NEXUS_DATA_DIR"}
    }
    env.update({"LOG_FORMAT": "text", **extra})
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serving(
    env: dict[str, str], cwd: Path, port: int, *extra: str, command: tuple[str, ...] = (NEXUS,)
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*command, "serve", "--port", str(port), *extra],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_serving(base: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"nexus serve exited: {process.stdout.read()}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"nexus serve did not answer /healthz within {timeout:.0f} s")
        time.sleep(0.1)


@contextmanager
def serving(
    env: dict[str, str], cwd: Path, *extra: str, command: tuple[str, ...] = (NEXUS,)
) -> Iterator[str]:
    """The base URL of a server that answers /healthz; on leaving, SIGTERM and a clean exit 0."""
    port = free_port()
    process = start_serving(env, cwd, port, *extra, command=command)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=30) == 0
        except subprocess.TimeoutExpired:
            process.kill()
            raise
