"""The original Django Nexus for `bench.compare_original`: found in a local checkout or cloned
from its published repository at a pinned commit, installed into its own virtualenv from its own
requirements file, migrated, filled with the rows of a Nexus scratch database, and run with the
gunicorn line of its start script."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import asyncpg

REPOSITORY = "https://github.com/BillyMwangiDev/alx-project-nexus"
COMMIT = "c2e10e0"
SECRET = "bench-original-secret-" + "x" * 40


class OriginalUnavailable(Exception):
    """No checkout was given and none could be fetched: the comparison cannot run."""


def project_of(root: Path) -> Path:
    """The Django project in a checkout: the folder holding `manage.py` (the root or one below)."""
    for candidate in (root, *sorted(p for p in root.iterdir() if p.is_dir())):
        if (candidate / "manage.py").is_file() and (candidate / "config").is_dir():
            return candidate
    raise OriginalUnavailable(f"{root} holds no Django project (manage.py and config/)")


@contextmanager
def checkout(original_dir: Path | None, repository: str = REPOSITORY) -> Iterator[Path]:
    """The given checkout as is, else a clone of `repository` at `COMMIT` (removed afterwards)."""
    if original_dir is not None:
        if not original_dir.is_dir():
            raise OriginalUnavailable(f"--original-dir {original_dir} is not a directory")
        yield project_of(original_dir)
        return
    if shutil.which("git") is None:
        raise OriginalUnavailable("no --original-dir given and git is not installed")
    with tempfile.TemporaryDirectory(prefix="nexus-original-") as scratch:
        clone = Path(scratch, "original")
        try:
            git("clone", "--quiet", "--no-checkout", repository, str(clone), timeout=120)
            git("-C", str(clone), "checkout", "--quiet", COMMIT, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise OriginalUnavailable(
                f"no --original-dir given and {repository} could not be cloned "
                f"(no network?): {error}"
            ) from error
        yield project_of(clone)


def git(*args: str, timeout: float) -> None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    subprocess.run(["git", *args], check=True, capture_output=True, timeout=timeout, env=env)


def install(project: Path) -> Path:
    """`project/.venv` (where its start script looks) with its own requirements and gunicorn."""
    venv = project / ".venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    requirements = project / "requirements.txt"
    if not requirements.is_file():
        requirements = project.parent / "requirements.txt"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(requirements)], check=True, cwd=project)
    if not (venv / "bin" / "gunicorn").exists():  # the start script runs it
        subprocess.run([*pip, "gunicorn"], check=True, cwd=project)
    return python


HEALTH_PATH = "/api/health/"  # its own health check (config/urls.py)


def original_env(database_url: str, redis_url: str, port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "GUNICORN_WORKERS": str(workers),  # what its start script reads
    }


def migrate(project: Path, env: Mapping[str, str]) -> None:
    python = str(project / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput"], check=True, cwd=project, env=env)


def start_command(project: Path, port: int, workers: int) -> list[str]:
    """The server line of its start script (`start.sh` at c2e10e0): gunicorn's sync workers,
    `--workers ${GUNICORN_WORKERS:-3} --timeout 120`, from its virtualenv rather than through
    poetry, bound to loopback. The script's other steps are done here: `migrate()`, and data
    from `copy_catalogue()` instead of its TMDb fetch."""
    gunicorn = str(project / ".venv" / "bin" / "gunicorn")
    bind = f"127.0.0.1:{port}"
    server = [gunicorn, "config.wsgi:application", "--chdir", str(project), "--bind", bind]
    return [*server, "--workers", str(workers), "--timeout", "120"]


def copy_catalogue(nexus_url: str, original_url: str) -> None:
    """The Nexus scratch database's movies, users and ratings into the original's tables."""
    asyncio.run(_copy(nexus_url, original_url))


async def _copy(nexus_url: str, original_url: str) -> None:
    source = await asyncpg.connect(nexus_url)
    target = await asyncpg.connect(original_url)
    try:
        names = dict(await source.fetch("SELECT id, lower(name) FROM genres"))
        movies = await source.fetch(
            "SELECT id, coalesce(tmdb_id, 1000000 + id) AS tmdb_id, title, overview, release_date,"
            " coalesce(poster_path, '') AS poster, coalesce(backdrop_path, '') AS backdrop,"
            " vote_average, vote_count, popularity, genre_ids, runtime FROM movies"
        )
        await target.copy_records_to_table(
            "movies_api_moviemetadata",
            records=[
                (
                    *(m["id"], m["tmdb_id"], m["title"], m["overview"], m["release_date"]),
                    *(m["poster"], m["backdrop"], m["vote_average"] or 0.0, m["vote_count"] or 0),
                    m["popularity"],
                    json.dumps([names[g] for g in m["genre_ids"] if g in names]),
                    m["runtime"],
                    *(_now(), _now()),
                )
                for m in movies
            ],
            columns=[
                *("id", "tmdb_id", "title", "overview", "release_date", "poster_path"),
                *("backdrop_path", "vote_average", "vote_count", "popularity", "genres"),
                *("runtime", "created_at", "updated_at"),
            ],
        )
        users = await source.fetch("SELECT id, username, email, date_joined FROM users")
        await target.copy_records_to_table(
            "auth_user",
            records=[
                (u["id"], "!", False, u["username"], "", "", u["email"], False, True, joined)
                for u in users
                for joined in (u["date_joined"],)
            ],
            columns=[
                *("id", "password", "is_superuser", "username", "first_name", "last_name"),
                *("email", "is_staff", "is_active", "date_joined"),
            ],
        )
        ratings = await source.fetch(
            "SELECT user_id, movie_id, score, coalesce(review, '') AS review, created_at"
            " FROM ratings"
        )
        await target.copy_records_to_table(
            "movies_api_rating",
            records=[
                (r["user_id"], r["movie_id"], r["score"], r["review"], r["created_at"], _now())
                for r in ratings
            ],
            columns=["user_id", "movie_id", "score", "review", "created_at", "updated_at"],
        )
        for table in ("auth_user", "movies_api_moviemetadata", "movies_api_rating"):
            # Identity sequences past the copied ids, so the API's own inserts do not collide.
            await target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        await target.execute("VACUUM ANALYZE")
    finally:
        await source.close()
        await target.close()


def _now() -> object:
    from datetime import UTC, datetime

    return datetime.now(UTC)
