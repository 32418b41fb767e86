"""GroupLens ml-1m: `ratings.dat` and `movies.dat`, fields separated by `::`, Latin-1 text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.model_fitting.movielens_format import split_title, tmdb_genres

if TYPE_CHECKING:
    from app.model_fitting.movielens import MovieLensData


def read_grouplens_1m(directory: Path) -> MovieLensData:
    # Imported here: movielens.py dispatches to this module.
    from app.model_fitting.movielens import (
        MovieLensData,
        MovieLensFormatError,
        MovieLensMovie,
        _ratings,
    )

    path = directory / "ratings.dat"
    try:
        with path.open(encoding="latin-1") as lines:
            rows = np.loadtxt((line.replace("::", "\t") for line in lines), delimiter="\t", ndmin=2)
    except ValueError as error:
        raise MovieLensFormatError(f"{path}: {error}") from None
    users, items, scores, times = _ratings(rows, path)
    movies = []
    with (directory / "movies.dat").open(encoding="latin-1") as lines:
        for line in lines:
            fields = line.rstrip("\r\n").split("::")
            if len(fields) < 3 or not fields[0].isdigit():
                continue
            title, year = split_title(fields[1])
            genres = tmdb_genres(fields[2].split("|"))
            movies.append(MovieLensMovie(int(fields[0]), title, year, genres))
    return MovieLensData("grouplens-1m", movies, users, items, scores, times)
