"""`nexus import-movielens --download NAME` against a local stand-in for GroupLens: checksum
verified, an interrupted download resumed, a bad archive refused and deleted, offline in one line,
and the files kept under the data dir."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_schema_first import command_env, run
from tests.support.movielens_files import write_grouplens_100k
from tests.support.release_server import ReleaseServer, md5_file, zip_folder
from tests.support.taste_release import write_taste_release

SMALL = "ml-latest-small"


@pytest.fixture
def releases(tmp_path: Path) -> Iterator[ReleaseServer]:
    body = zip_folder(write_taste_release(tmp_path / "source" / SMALL), SMALL)
    server = ReleaseServer(files={f"{SMALL}.zip": body, f"{SMALL}.zip.md5": md5_file(SMALL, body)})
    with server.running():
        yield server


def download_env(tmp_path: Path, releases: ReleaseServer, database_url: str) -> dict[str, str]:
    return command_env(tmp_path, DATABASE_URL=database_url, MOVIELENS_BASE_URL=releases.base_url)


async def test_download_verifies_imports_and_is_kept_for_next_time(
    releases: ReleaseServer, database_url_for_test: str, tmp_path: Path
) -> None:
    env = download_env(tmp_path, releases, database_url_for_test)
    first = await asyncio.to_thread(
        run, "import-movielens", "--download", SMALL, env=env, cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("imported 55 movies, 70 users")
    kept = tmp_path / "data" / "movielens" / SMALL
    assert (kept / "ratings.csv").is_file() and (kept / ".nexus-complete").is_file()
    again = await asyncio.to_thread(
        run, "import-movielens", "--download", SMALL, env=env, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert releases.count(f"{SMALL}.zip") == 1, "downloaded twice"
    assert "Traceback" not in first.stderr + again.stderr


async def test_an_interrupted_download_resumes(
    releases: ReleaseServer, database_url_for_test: str, tmp_path: Path
) -> None:
    env = download_env(tmp_path, releases, database_url_for_test)
    dest = tmp_path / "elsewhere"
    releases.break_off_after = 700
    args = ("import-movielens", "--download", SMALL, "--dest", str(dest))
    broken = await asyncio.to_thread(run, *args, env=env, cwd=tmp_path)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    line = broken.stderr.strip().splitlines()[-1]  # after the progress report, when not a TTY
    assert "broke off" in line and "run the same command again to resume" in line
    assert (dest / f"{SMALL}.zip.part").stat().st_size == 700
    resumed = await asyncio.to_thread(run, *args, env=env, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert (f"/movielens/{SMALL}.zip", "bytes=700-") in releases.requests
    assert (dest / SMALL / "movies.csv").is_file()
    assert not (dest / f"{SMALL}.zip.part").exists()


async def test_a_checksum_mismatch_is_refused_and_the_archive_deleted(
    releases: ReleaseServer, database_url_for_test: str, tmp_path: Path
) -> None:
    releases.files[f"{SMALL}.zip.md5"] = md5_file(SMALL, b"something else")
    env = download_env(tmp_path, releases, database_url_for_test)
    result = await asyncio.to_thread(
        run, "import-movielens", "--download", SMALL, env=env, cwd=tmp_path
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert "is not the published" in line and "run again" in line
    assert not (tmp_path / "data" / "movielens" / f"{SMALL}.zip").exists()


async def test_without_a_published_checksum_the_zip_itself_is_checked(
    database_url_for_test: str, tmp_path: Path
) -> None:
    """ml-100k by name, no `.md5` published; then a corrupt archive."""
    body = zip_folder(write_grouplens_100k(tmp_path / "source" / "ml-100k"), "ml-100k")
    server = ReleaseServer(files={"ml-100k.zip": body})
    with server.running():
        env = download_env(tmp_path, server, database_url_for_test)
        result = await asyncio.to_thread(
            run, "import-movielens", "--download", "ml-100k", env=env, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert "imported 40 movies, 60 users" in result.stdout
        server.files["ml-1m.zip"] = b"PK\x03\x04 not really a zip"
        corrupt = await asyncio.to_thread(
            run, "import-movielens", "--download", "ml-1m", env=env, cwd=tmp_path
        )
    assert corrupt.returncode == 1 and "Traceback" not in corrupt.stderr
    assert corrupt.stderr.strip().splitlines()[-1] == (
        "nexus: ml-1m.zip: not a zip archive (File is not a zip file); deleted it, "
        "run again to download afresh"
    )


def test_offline_says_so_and_how_to_import_a_folder(tmp_path: Path) -> None:
    env = command_env(tmp_path, MOVIELENS_BASE_URL="http://127.0.0.1:9/movielens")
    result = run("import-movielens", "--download", "ml-100k", env=env, cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "offline?" in line and "nexus import-movielens DIR" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--download", "ml-25m"), "invalid choice: 'ml-25m'"),
        (("somewhere", "--download", "ml-100k"), "not both"),
        ((), "give the release's folder, or --download NAME"),
    ],
)
def test_download_usage_errors(args: tuple[str, ...], expected: str, tmp_path: Path) -> None:
    result = run("import-movielens", *args, env=command_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert expected in line
