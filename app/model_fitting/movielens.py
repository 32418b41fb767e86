"""Readers for the MovieLens releases we import and evaluate on: GroupLens ml-100k (`u.data`,
`u.item`), the GroupLens CSV releases (`ratings.csv`, `movies.csv`, `links.csv`), ml-1m
(`ratings.dat`, `movies.dat`, read in `movielens_1m`) and RecBole's atomic files (`*.inter`,
`*.item`)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import numpy as np

from app.model_fitting.movielens_format import split_title, tmdb_genres
from app.model_fitting.movielens_rows import BadRow, decoded_lines, parse_rows, rating_rows
from app.model_fitting.rating_log import RatingLog

# The genre flags of ml-100k's u.item, in column order.
U_ITEM_GENRES = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]


class MovieLensFormatError(ValueError):
    """The directory holds no MovieLens release we can read, or a file is malformed."""


@dataclass(frozen=True, slots=True)
class MovieLensMovie:
    movielens_id: int
    title: str
    year: int | None
    genre_ids: tuple[int, ...]
    imdb_id: str | None = None
    tmdb_id: int | None = None


@dataclass(frozen=True)
class MovieLensData:
    release: str
    movies: list[MovieLensMovie]
    users: np.ndarray  # MovieLens user ids
    items: np.ndarray  # MovieLens movie ids
    scores: np.ndarray  # 1..5
    timestamps: np.ndarray  # seconds since the epoch
    bad_rows: list[BadRow] = field(default_factory=list)  # skipped, named by file and line

    def rating_log(self) -> RatingLog:
        known = np.array([movie.movielens_id for movie in self.movies], dtype=np.int64)
        return RatingLog.from_ids(
            self.users, self.items, self.scores, self.timestamps, np.union1d(known, self.items)
        )


def read_movielens(directory: Path) -> MovieLensData:
    if (directory / "u.data").is_file() and (directory / "u.item").is_file():
        return _read_grouplens_100k(directory)
    if (directory / "ratings.csv").is_file() and (directory / "movies.csv").is_file():
        return _read_grouplens_csv(directory)
    if (directory / "ratings.dat").is_file() and (directory / "movies.dat").is_file():
        from app.model_fitting.movielens_1m import read_grouplens_1m

        return read_grouplens_1m(directory)
    inter = sorted(directory.glob("*.inter"))
    if inter:
        return _read_recbole(inter[0], next(iter(sorted(directory.glob("*.item"))), None))
    raise MovieLensFormatError(
        f"{directory}: no MovieLens files (u.data + u.item, ratings.csv + movies.csv, "
        "ratings.dat + movies.dat, or *.inter)"
    )


def _csv_rows(
    path: Path, encoding: str, delimiter: str, bad: list[BadRow], quotes: bool = True
) -> Iterator[tuple[int, list[str]]]:
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE
    for number, text in decoded_lines(path, encoding, bad):
        if text:
            yield number, next(csv.reader([text], delimiter=delimiter, quoting=quoting))


def _with_header(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column: value}; the first row names the columns (RecBole's `name:type` too)."""
    names: list[str] | None = None
    for number, row in rows:
        if names is None:
            names = [column.split(":")[0] for column in row]
            continue
        if len(row) != len(names):
            row = [*row, *[""] * (len(names) - len(row))] if len(row) < len(names) else row
        yield number, dict(zip(names, row, strict=False))


def _read_grouplens_100k(directory: Path) -> MovieLensData:
    bad: list[BadRow] = []
    ratings = rating_rows(directory / "u.data", "\t", 0, (0, 1, 2, 3), bad)

    def movie(row: list[str]) -> MovieLensMovie:
        if len(row) < 5 + len(U_ITEM_GENRES):
            raise ValueError(f"expected {5 + len(U_ITEM_GENRES)} fields, found {len(row)}")
        title, year = split_title(row[1])
        if year is None and row[2]:
            year = datetime.strptime(row[2], "%d-%b-%Y").year
        flags = row[5 : 5 + len(U_ITEM_GENRES)]
        names = [name for name, flag in zip(U_ITEM_GENRES, flags, strict=True) if flag == "1"]
        return MovieLensMovie(int(row[0]), title, year, tmdb_genres(names))

    path = directory / "u.item"
    movies = parse_rows(_csv_rows(path, "latin-1", "|", bad), movie, path, bad)
    return MovieLensData("grouplens-100k", _movies(movies), *ratings, bad_rows=bad)


def _read_grouplens_csv(directory: Path) -> MovieLensData:
    bad: list[BadRow] = []
    ratings = rating_rows(directory / "ratings.csv", ",", 1, (0, 1, 2, 3), bad)
    links: dict[int, tuple[str | None, int | None]] = {}

    def link(row: dict[str, str]) -> None:
        imdb = f"tt{int(row['imdbId']):07d}" if row.get("imdbId") else None
        tmdb = int(row["tmdbId"]) if row.get("tmdbId") else None
        links[int(row["movieId"])] = (imdb, tmdb)

    path = directory / "links.csv"
    if path.is_file():
        parse_rows(_with_header(_csv_rows(path, "utf-8", ",", bad)), link, path, bad)

    def movie(row: dict[str, str]) -> MovieLensMovie:
        movie_id = int(row["movieId"])
        title, year = split_title(row["title"])
        imdb, tmdb = links.get(movie_id, (None, None))
        genres = tmdb_genres(row["genres"].split("|"))
        return MovieLensMovie(movie_id, title, year, genres, imdb, tmdb)

    path = directory / "movies.csv"
    movies = parse_rows(_with_header(_csv_rows(path, "utf-8", ",", bad)), movie, path, bad)
    return MovieLensData("grouplens-csv", _movies(movies), *ratings, bad_rows=bad)


def _read_recbole(inter: Path, item: Path | None) -> MovieLensData:
    bad: list[BadRow] = []
    with inter.open("rb") as raw:
        header = raw.readline().decode("utf-8", errors="replace").rstrip("\r\n").split("\t")
    names = [column.split(":")[0] for column in header]
    try:
        columns = tuple(names.index(n) for n in ("user_id", "item_id", "rating", "timestamp"))
    except ValueError:
        raise MovieLensFormatError(
            f"{inter}: needs user_id, item_id, rating and timestamp columns"
        ) from None
    ratings = rating_rows(inter, "\t", 1, columns, bad)  # type: ignore[arg-type]

    def movie(fields: dict[str, str]) -> MovieLensMovie:
        title, year = split_title(fields.get("movie_title", ""))
        if fields.get("release_year", "").isascii() and fields["release_year"].isdigit():
            year = int(fields["release_year"])
        genres = tmdb_genres((fields.get("class") or "").split())
        return MovieLensMovie(int(fields["item_id"]), title, year, genres)

    movies: list[object] = []
    if item is not None:
        rows = _csv_rows(item, "utf-8", "\t", bad, quotes=False)
        movies = parse_rows(_with_header(rows), movie, item, bad)
    return MovieLensData("recbole", _movies(movies), *ratings, bad_rows=bad)


def _movies(parsed: list[object]) -> list[MovieLensMovie]:
    return [movie for movie in parsed if isinstance(movie, MovieLensMovie)]
