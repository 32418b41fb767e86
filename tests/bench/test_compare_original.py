"""`bench.compare_original` without the original: it says so and exits before starting anything
(no database, no server, no install)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bench import compare_original, original
from bench.compare_rows import ROWS, Memory


def refuse_to_start(*args: object, **kwargs: object) -> None:
    raise AssertionError("nothing may start without the original")


@pytest.fixture(autouse=True)
def nothing_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compare_original, "compare", refuse_to_start)
    monkeypatch.setattr(original, "install", refuse_to_start)


def test_without_a_checkout_or_network_it_says_so_and_exits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreachable = (tmp_path / "no-such-repository").as_uri()  # as a clone without network fails
    status = compare_original.main(["--repository", unreachable])
    err = capsys.readouterr().err
    assert status == compare_original.NOT_AVAILABLE == 69
    assert "the original is not available" in err and "could not be cloned" in err
    assert "--original-dir" in err


def test_a_directory_that_is_not_the_original_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "something-else").mkdir()
    status = compare_original.main(["--original-dir", str(tmp_path)])
    assert status == 69
    assert "holds no Django project" in capsys.readouterr().err


def test_a_missing_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = compare_original.main(["--original-dir", str(tmp_path / "absent")])
    assert status == 69
    assert "is not a directory" in capsys.readouterr().err


def test_the_django_project_is_found_below_the_checkout(tmp_path: Path) -> None:
    project = tmp_path / "Movie-Recommendation-BE"
    (project / "config").mkdir(parents=True)
    (project / "manage.py").write_text("")
    assert original.project_of(tmp_path) == project


def test_the_table_judges_each_row_and_the_memory_by_its_own_target() -> None:
    rates = {}
    for row in ROWS:
        # Every row 1.6x: enough for the rating row's 1.5, short of the others' 2.
        rates[(row.name, "original")] = [(100.0, 10.0, 0)] * 3
        rates[(row.name, "nexus")] = [(160.0, 5.0, 0)] * 3
    memory = {
        "original": Memory(30.0, [80.0, 81.0]),
        "nexus": Memory(42.0, [150.0, 170.0]),  # one worker over 2 x 81
    }
    args = argparse.Namespace(quick=True, workers=2, connections=32, seconds=3.0, runs=3)
    body = compare_original.table(rates, memory, args, (1000, 300, 20_000))
    verdict = body.splitlines()[-1]
    assert "rating_post" not in verdict
    assert all(row.name in verdict for row in ROWS if row.name != "rating_post")
    assert "worker memory" in verdict and "supervisor memory" not in verdict
    assert "supervisor 42, workers 150, 170" in body
