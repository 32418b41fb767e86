"""`st run --checks all` from the repository root, as an operator would run it: against a live
`nexus serve`, signed in through `schemathesis.toml`'s dynamic auth, every check, every phase
(the stateful one included), and at least 1,000 generated requests. The rules the OpenAPI document
cannot state are declared in `schemathesis.toml`, one justified entry each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import clean_env, serving

ROOT = Path(__file__).resolve().parents[2]
ST = str(Path(sys.executable).with_name("st"))
USERNAME, PASSWORD = "schemathesis", "Fuzzing-Otter-Lantern-42"
MIN_REQUESTS = 1_000


@pytest.mark.slow
def test_st_run_with_every_check_passes(empty_database: str, tmp_path: Path) -> None:
    env = clean_env(
        DATABASE_URL=empty_database,
        JWT_SECRET="st-run-" + "k" * 40,
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    with serving(env, tmp_path) as base:
        registered = httpx.post(
            f"{base}/api/auth/register/",
            json={"username": USERNAME, "email": "st@example.com", "password": PASSWORD},
        )
        assert registered.status_code == 201, registered.text
        report = tmp_path / "report.json"
        run = subprocess.run(
            [
                *(ST, "run", f"{base}/openapi.json", "--checks", "all", "--no-color"),
                *("--report", "json", "--report-json-path", str(report)),
            ],
            cwd=ROOT,  # where schemathesis.toml is
            env={**clean_env(), "NEXUS_USERNAME": USERNAME, "NEXUS_PASSWORD": PASSWORD},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert run.returncode == 0, run.stdout[-6000:]
    summary = json.loads(report.read_text())
    assert summary["test_cases"]["generated"] >= MIN_REQUESTS, summary["test_cases"]
    assert summary["phases"]["stateful"]["status"] == "success", summary["phases"]
    assert not summary["failures"] and not summary["errors"]
    print(f"st run: {summary['test_cases']} in {summary['running_time']:.0f} s")
    assert summary["auth"]["reauth_broke"] is False
