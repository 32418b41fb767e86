"""The typed SPA client in clients/typescript compiles against the schema the app serves now, so a
change to a path, a parameter or a field name that would break front-ends fails here first."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.cli.openapi import openapi_document
from tests.support.services import IN_CI

CLIENT_DIR = Path(__file__).resolve().parent.parent / "clients" / "typescript"


def npm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["npm", "--no-audit", "--no-fund", *args],
        cwd=CLIENT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def installed_client() -> Path:
    if shutil.which("npm") is None:
        if IN_CI:
            pytest.fail("CI=true but npm is not installed")
        pytest.skip("npm is not installed")
    if not (CLIENT_DIR / "node_modules" / ".package-lock.json").exists():
        installed = npm("ci")
        assert installed.returncode == 0, installed.stderr
    return CLIENT_DIR


def test_the_example_client_compiles_against_the_live_schema(installed_client: Path) -> None:
    (installed_client / "openapi.json").write_text(json.dumps(openapi_document(), indent=2))

    generated = npm("run", "generate")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (installed_client / "src" / "schema.d.ts").stat().st_size > 0

    checked = npm("run", "check")
    assert checked.returncode == 0, f"tsc --noEmit failed:\n{checked.stdout}{checked.stderr}"
