"""`make demo`'s steps end to end (`nexus demo`, what the make target runs) on a fresh embedded
data dir, against a local stand-in for GroupLens: download, import, model, a demo account whose
recommendations are visibly its own, then serving; a second run reuses all of it."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import httpx

from tests.cli.test_movielens_download import SMALL, releases
from tests.cli.test_schema_first import command_env
from tests.support.data_dirs import fresh_data_dir
from tests.support.release_server import ReleaseServer
from tests.support.server_process import NEXUS, free_port, wait_until_serving
from tests.support.terminal import assert_human_output, run_in_terminal

__all__ = ["fresh_data_dir", "releases"]  # fixtures, used below by name

ACCOUNT = re.compile(r"^demo account: demo / (?P<password>\S+)  \(loves Animation: 12 movies")


def test_demo_prepares_serves_and_reuses_what_it_has(
    releases: ReleaseServer, fresh_data_dir: Path, tmp_path: Path
) -> None:
    env = command_env(tmp_path, MOVIELENS_BASE_URL=releases.base_url)
    env["NEXUS_DATA_DIR"] = str(fresh_data_dir)

    first = run_in_terminal("demo", "--no-serve", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.output
    assert_human_output(first)
    assert "imported 55 movies, 70 users" in first.output
    assert any(line.startswith("model 1: ") for line in first.lines), first.output
    assert "Swagger UI: http://127.0.0.1:8000/swagger/" in first.output
    [password] = [m["password"] for line in first.lines if (m := ACCOUNT.match(line))]

    port = free_port()
    process = subprocess.Popen(
        [NEXUS, "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, timeout=120)
        token = httpx.post(
            f"{base}/api/auth/token/", json={"username": "demo", "password": password}
        )
        assert token.status_code == 200, token.text
        mine = httpx.get(
            f"{base}/api/movies/recommendations/",
            params={"limit": 5},
            headers={"Authorization": f"Bearer {token.json()['access']}"},
        ).json()
        popular = httpx.get(f"{base}/api/movies/recommendations/", params={"limit": 5}).json()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output

    # Personal: the demo account loves Animation, the crowd rates Horror most.
    mine_titles = [movie["title"] for movie in mine]
    popular_titles = [movie["title"] for movie in popular]
    assert sum(title.startswith("Cartoon") for title in mine_titles) >= 4, mine_titles
    assert sum(title.startswith("Scream") for title in popular_titles) >= 3, popular_titles
    # Reused: no second download, no second import, no second model.
    assert releases.count(f"{SMALL}.zip") == 1
    assert "catalogue: 55 MovieLens movies, imported before" in output
    assert "built model" not in output
    assert f"demo account: demo / {password}" in output
