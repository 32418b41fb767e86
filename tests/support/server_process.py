"""Servers as real processes on free loopback ports: `nexus serve` for the tests that need one
(the CLI, the embedded PostgreSQL, graceful shutdown, the browser), and the port and readiness
helpers that the fault tests' throw-away servers and the benchmarks use too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


class NotServing(AssertionError):
    """A server process exited, or did not answer in time."""


def wait_for_port(port: int, *, up: bool, timeout: float = 15.0) -> None:
    """Until something accepts connections on the loopback port (`up`), or nothing does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                answering = True
        except OSError:
            answering = False
        if answering == up:
            return
        time.sleep(0.05)
    raise NotServing(f"port {port} did not go {'up' if up else 'down'} within {timeout} s")


def wait_until_serving(
    base: str,
    process: subprocess.Popen[Any],
    timeout: float = 60,
    *,
    output: Callable[[], str] | None = None,
    health: str = "/healthz",
) -> None:
    """Until `base` answers `GET {health}` with 200; if the process exits first, fail with what
    it wrote (its piped stdout unless `output` reads it from elsewhere)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            said = output() if output else _piped_output(process)
            raise NotServing(f"the server behind {base} exited: {said[-2000:]}")
        try:
            if httpx.get(f"{base}{health}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise NotServing(f"{base} did not answer {health} within {timeout:.0f} s")
        time.sleep(0.1)


def _piped_output(process: subprocess.Popen[Any]) -> str:
    if process.stdout is None:
        return ""
    said = process.stdout.read()
    return said.decode(errors="replace") if isinstance(said, bytes) else str(said)


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
