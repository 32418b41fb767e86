"""The `nexus` command as operators run it: bad configuration stops start-up with one line, and
`nexus migrate && nexus serve` (the container's command) serves a migrated database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import NEXUS, clean_env, serving

ROOT = Path(__file__).resolve().parents[2]


def run_nexus(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NEXUS, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("variables", "setting"),
    [
        ({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"NEXUS_DATA_DIR": "/proc/nexus-cannot-live-here"}, "NEXUS_DATA_DIR"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL"),
        ({"NEXUS_ENV": "production", "JWT_SECRET": "changeme"}, "JWT_SECRET"),
        ({"NEXUS_ENV": "production"}, "JWT_SECRET"),
    ],
)
def test_bad_configuration_stops_with_one_line(
    variables: dict[str, str], setting: str, tmp_path: Path
) -> None:
    result = run_nexus(
        "migrate", env=clean_env(**{"NEXUS_DATA_DIR": str(tmp_path), **variables}), cwd=tmp_path
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]
    assert "Traceback" not in result.stderr


def test_migrate_then_serve_as_the_container_does(empty_database: str, tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=empty_database, NEXUS_DATA_DIR=str(tmp_path / "data"))
    migrated = run_nexus("migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    with serving(env, tmp_path, "--no-migrate") as base:
        assert httpx.get(f"{base}/readyz").status_code == 200
        swagger = httpx.get(f"{base}/swagger/")
        assert swagger.status_code == 200 and "swagger-ui-bundle.js" in swagger.text
        assert httpx.get(f"{base}/openapi.json").json()["openapi"].startswith("3.")
    # The generated development secret is kept for the next start.
    assert (tmp_path / "data" / "jwt_secret").stat().st_mode & 0o077 == 0


def test_the_container_layout_migrates_and_serves(empty_database: str, tmp_path: Path) -> None:
    """The Dockerfile's layout: the package, alembic.ini and migrations/ side by side in one
    directory on PYTHONPATH, started from elsewhere with `nexus migrate && nexus serve`."""
    image = tmp_path / "image"
    image.mkdir()
    for name in ("app", "migrations"):
        shutil.copytree(ROOT / name, image / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "alembic.ini", image / "alembic.ini")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(
        DATABASE_URL=empty_database, NEXUS_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(image)
    )
    command = (sys.executable, "-m", "app.cli")
    migrated = subprocess.run(
        [*command, "migrate"], env=env, cwd=elsewhere, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    with serving(env, elsewhere, "--no-migrate", command=command) as base:
        assert httpx.get(f"{base}/readyz").status_code == 200
