"""Ctrl-C: the command stops with one line and status 130, an import leaves nothing half-done
(one transaction), and the embedded PostgreSQL the command started is stopped."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import warnings
from pathlib import Path

from tests.cli.test_schema_first import command_env
from tests.support.data_dirs import fresh_data_dir
from tests.support.server_process import NEXUS

__all__ = ["fresh_data_dir"]  # the fixture, used below by name

SIZES = ("--movies", "3000", "--users", "3000", "--ratings", "400000")


def count_movies(pgdata: Path) -> int:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import pgserver

        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        answer = server.psql("\\c nexus\nSELECT count(*) FROM movies;")
    finally:
        server.cleanup()
    counted = re.search(r"^\s*(\d+)\s*$", answer, re.MULTILINE)
    assert counted, answer
    return int(counted.group(1))


def test_ctrl_c_during_an_import_leaves_nothing_and_stops_postgres(
    fresh_data_dir: Path, tmp_path: Path
) -> None:
    env = command_env(tmp_path)
    env["NEXUS_DATA_DIR"] = str(fresh_data_dir)
    process = subprocess.Popen(
        [NEXUS, "seed-synthetic", *SIZES],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    deadline = time.monotonic() + 120
    # The importer's first phase report: the transaction is open and writing.
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen.append(line)
        if not line or not line.startswith(("starting embedded", "migrating")):
            break
    process.send_signal(signal.SIGINT)
    stdout, rest = process.communicate(timeout=60)
    stderr = "".join(seen) + rest
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "nexus: interrupted"
    assert "Traceback" not in stderr and stdout == ""
    assert not (fresh_data_dir / "postgres" / "postmaster.pid").exists(), "PostgreSQL left running"
    assert count_movies(fresh_data_dir / "postgres") == 0
