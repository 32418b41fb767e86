"""`bench.compare_original` without the original: it says so and exits before starting anything
(no database, no server, no install)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import compare_original, original


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
