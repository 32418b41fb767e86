"""Malformed rows of a MovieLens release are skipped, counted and named by line."""

from __future__ import annotations

from pathlib import Path

from app.model_fitting.movielens import read_movielens

GENRE_FLAGS = "|".join(["0"] * 19)


def write_bad_100k(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "u.data").write_bytes(
        b"1\t10\t4\t880000000\n"
        b"1\t11\t5\n"  # line 2: a missing field
        b"2\t10\t3\tyesterday\n"  # line 3: an unparseable date
        b"2\t11\t7\t880000001\n"  # line 4: a rating out of range
        b"3\t10\t\xff\xfe\t880000002\n"  # line 5: bytes that are not UTF-8
        b"3\t11\t2\t880000003\n"
    )
    (directory / "u.item").write_text(
        f"10|Heat (1995)|01-Jan-1995||http://x|{GENRE_FLAGS}\n"
        f"11|Ronin (1998)|01-Jan-1998||http://x|{GENRE_FLAGS}\n"
        f"12|Odd|31-Foo-1998||http://x|{GENRE_FLAGS}\n",  # line 3: an unparseable date
        encoding="latin-1",
    )
    return directory


def test_good_rows_are_kept_and_bad_ones_named(tmp_path: Path) -> None:
    data = read_movielens(write_bad_100k(tmp_path / "ml"))
    assert data.users.tolist() == [1, 3]
    assert data.scores.tolist() == [4, 2]
    assert [movie.movielens_id for movie in data.movies] == [10, 11]
    named = [str(bad) for bad in data.bad_rows]
    assert named[0] == "u.data line 2: expected at least 4 fields, found 3"
    assert named[1] == "u.data line 3: timestamp 'yesterday' is not a number of seconds"
    assert named[2] == "u.data line 4: rating '7' is not a MovieLens rating (0.5-5)"
    assert named[3] == "u.data line 5: not utf-8 text"
    assert named[4].startswith("u.item line 3: ")
    assert len(named) == 5
