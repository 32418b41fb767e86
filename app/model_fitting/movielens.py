"""Readers for the MovieLens releases we import and evaluate on: GroupLens ml-100k (`u.data`,
`u.item`), the GroupLens CSV releases (`ratings.csv`, `movies.csv`, `links.csv`), ml-1m
(`ratings.dat`, `movies.dat`, read in `movielens_1m`) and RecBole's atomic files (`*.inter`,
`*.item`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from app.model_fitting.movielens_format import split_title, stars, tmdb_genres
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


def _ratings(rows: np.ndarray, path: Path) -> tuple[np.ndarray, ...]:
    if rows.ndim != 2 or rows.shape[1] < 4:
        raise MovieLensFormatError(f"{path}: expected user, movie, rating and timestamp columns")
    try:
        scores = np.array([stars(value) for value in rows[:, 2]], dtype=np.int16)
    except ValueError as error:
        raise MovieLensFormatError(f"{path}: {error}") from None
    return rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), scores, rows[:, 3]


def _load(path: Path, delimiter: str | None, skip: int, columns: tuple[int, ...]) -> np.ndarray:
    try:
        rows = np.loadtxt(path, delimiter=delimiter, skiprows=skip, usecols=columns, ndmin=2)
    except ValueError as error:
        raise MovieLensFormatError(f"{path}: {error}") from None
    return rows


def _read_grouplens_100k(directory: Path) -> MovieLensData:
    path = directory / "u.data"
    users, items, scores, times = _ratings(_load(path, "\t", 0, (0, 1, 2, 3)), path)
    movies = []
    with (directory / "u.item").open(encoding="latin-1") as lines:
        for row in csv.reader(lines, delimiter="|"):
            if len(row) < 5 + len(U_ITEM_GENRES):
                continue
            title, year = split_title(row[1])
            if year is None and row[2]:
                year = datetime.strptime(row[2], "%d-%b-%Y").year
            flags = row[5 : 5 + len(U_ITEM_GENRES)]
            names = [name for name, flag in zip(U_ITEM_GENRES, flags, strict=True) if flag == "1"]
            movies.append(MovieLensMovie(int(row[0]), title, year, tmdb_genres(names)))
    return MovieLensData("grouplens-100k", movies, users, items, scores, times)


def _read_grouplens_csv(directory: Path) -> MovieLensData:
    path = directory / "ratings.csv"
    users, items, scores, times = _ratings(_load(path, ",", 1, (0, 1, 2, 3)), path)
    links: dict[int, tuple[str | None, int | None]] = {}
    if (directory / "links.csv").is_file():
        with (directory / "links.csv").open(encoding="utf-8", newline="") as lines:
            for row in csv.DictReader(lines):
                imdb = f"tt{int(row['imdbId']):07d}" if row.get("imdbId") else None
                tmdb = int(row["tmdbId"]) if row.get("tmdbId") else None
                links[int(row["movieId"])] = (imdb, tmdb)
    movies = []
    with (directory / "movies.csv").open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines):
            movie_id = int(row["movieId"])
            title, year = split_title(row["title"])
            imdb, tmdb = links.get(movie_id, (None, None))
            genres = tmdb_genres(row["genres"].split("|"))
            movies.append(MovieLensMovie(movie_id, title, year, genres, imdb, tmdb))
    return MovieLensData("grouplens-csv", movies, users, items, scores, times)


def _read_recbole(inter: Path, item: Path | None) -> MovieLensData:
    header = inter.open(encoding="utf-8").readline().rstrip("\n").split("\t")
    names = [column.split(":")[0] for column in header]
    try:
        columns = tuple(names.index(n) for n in ("user_id", "item_id", "rating", "timestamp"))
    except ValueError:
        raise MovieLensFormatError(
            f"{inter}: needs user_id, item_id, rating and timestamp columns"
        ) from None
    users, items, scores, times = _ratings(_load(inter, "\t", 1, columns), inter)
    movies = []
    if item is not None:
        with item.open(encoding="utf-8", newline="") as lines:
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
                fields = {key.split(":")[0]: value for key, value in row.items()}
                title, year = split_title(fields.get("movie_title", ""))
                if fields.get("release_year", "").isdigit():
                    year = int(fields["release_year"])
                genres = tmdb_genres((fields.get("class") or "").split())
                movies.append(MovieLensMovie(int(fields["item_id"]), title, year, genres))
    return MovieLensData("recbole", movies, users, items, scores, times)
