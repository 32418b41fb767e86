"""`serve` sets glibc's allocator for itself and the workers it starts, unless the operator did."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.bootstrap import allocator

glibc_only = pytest.mark.skipif(
    allocator._glibc() is None, reason="glibc's mallopt is absent on this platform"
)


@glibc_only
def test_every_setting_is_applied_and_passed_on_to_workers() -> None:
    environ: dict[str, str] = {}
    applied = allocator.tune_allocator(environ)
    assert applied == list(allocator.SETTINGS)
    assert environ == {
        "MALLOC_ARENA_MAX": "2",
        "MALLOC_MMAP_THRESHOLD_": str(1024 * 1024),
        "MALLOC_TRIM_THRESHOLD_": str(1024 * 1024),
    }


@glibc_only
def test_a_value_the_operator_set_is_kept() -> None:
    environ = {"MALLOC_ARENA_MAX": "4"}
    applied = allocator.tune_allocator(environ)
    assert "MALLOC_ARENA_MAX" not in applied
    assert environ["MALLOC_ARENA_MAX"] == "4"
    assert environ["MALLOC_MMAP_THRESHOLD_"] == str(1024 * 1024)


def test_a_worker_started_after_it_inherits_the_settings() -> None:
    # A fresh interpreter, as uvicorn spawns its workers: it sees what the supervisor set.
    script = (
        "import os, subprocess, sys; from app.bootstrap.allocator import tune_allocator; "
        "tune_allocator(); print(subprocess.run([sys.executable, '-c', "
        "'import os; print(os.environ.get(\"MALLOC_ARENA_MAX\"))'], capture_output=True, "
        "text=True).stdout.strip())"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    expected = "2" if allocator._glibc() is not None else "None"
    assert shown.stdout.strip() == expected, shown.stderr


def test_free_memory_is_handed_back_where_glibc_is() -> None:
    assert allocator.release_free_memory() == (allocator._glibc() is not None)
