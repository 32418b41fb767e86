"""ml-1m's `::`-separated, Latin-1 files read like the other GroupLens releases."""

from __future__ import annotations

from pathlib import Path

from app.model_fitting.movielens import read_movielens


def write_ml_1m(directory: Path) -> Path:
    directory.mkdir()
    (directory / "movies.dat").write_bytes(
        "1::Toy Story (1995)::Animation|Children's|Comedy\n"
        "2::Jumanji (1995)::Adventure|Children's|Fantasy\n"
        "3::Cité des enfants perdus, La (1995)::Adventure|Sci-Fi\n".encode("latin-1")
    )
    (directory / "ratings.dat").write_text(
        "1::1::5::978300760\n1::3::3::978302109\n2::2::4::978298413\n2::1::2::978299026\n"
    )
    return directory


def test_ml_1m_ratings_and_movies(tmp_path: Path) -> None:
    data = read_movielens(write_ml_1m(tmp_path / "ml-1m"))
    assert data.release == "grouplens-1m"
    assert data.users.tolist() == [1, 1, 2, 2]
    assert data.items.tolist() == [1, 3, 2, 1]
    assert data.scores.tolist() == [5, 3, 4, 2]
    toy, jumanji, city = data.movies
    assert (toy.movielens_id, toy.title, toy.year) == (1, "Toy Story", 1995)
    assert set(toy.genre_ids) == {16, 10751, 35}
    assert city.title == "La Cité des enfants perdus"  # Latin-1 decoded, article moved
    assert jumanji.year == 1995


def test_ml_1m_malformed_ratings_are_named(tmp_path: Path) -> None:
    directory = write_ml_1m(tmp_path / "ml-1m")
    (directory / "ratings.dat").write_text("1::1::5::978300760\n1::2::five::978300761\n")
    data = read_movielens(directory)
    # The good row is kept; the bad one is named by file and line, as for every release.
    assert data.scores.tolist() == [5]
    [bad] = data.bad_rows
    assert (bad.file, bad.line) == ("ratings.dat", 2) and "five" in bad.reason
