"""MovieLens 100K from the RecBole 1.2.1 wheel (pip downloads it; never committed), or a skip
that says why it could not be had."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.movielens_data import ml_100k


def ml_100k_or_skip() -> Path:
    try:
        return ml_100k()
    except (subprocess.CalledProcessError, OSError, StopIteration) as error:
        pytest.skip(f"MovieLens 100K unavailable (pip download of recbole==1.2.1 failed: {error})")


def write_training_release(source: Path, target: Path, keep: set[tuple[int, int]]) -> Path:
    """The release with only the (user, movie) ratings in `keep`: what the service is given."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "ml-100k.item").write_bytes((source / "ml-100k.item").read_bytes())
    lines = (source / "ml-100k.inter").read_text(encoding="utf-8").splitlines()
    with (target / "ml-100k.inter").open("w", encoding="utf-8") as out:
        out.write(lines[0] + "\n")
        for line in lines[1:]:
            user, item = line.split("\t")[:2]
            if (int(user), int(item)) in keep:
                out.write(line + "\n")
    return target
