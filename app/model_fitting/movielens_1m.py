"""GroupLens ml-1m: `ratings.dat` and `movies.dat`, fields separated by `::`, Latin-1 text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.model_fitting.movielens_format import split_title, tmdb_genres
from app.model_fitting.movielens_rows import BadRow, decoded_lines, parse_rows, rating_rows

if TYPE_CHECKING:
    from app.model_fitting.movielens import MovieLensData, MovieLensMovie


def read_grouplens_1m(directory: Path) -> MovieLensData:
    # Imported here: movielens.py dispatches to this module.
    from app.model_fitting.movielens import MovieLensData, MovieLensMovie

    bad: list[BadRow] = []
    ratings = rating_rows(directory / "ratings.dat", "::", 0, (0, 1, 2, 3), bad)

    def movie(text: str) -> MovieLensMovie:
        fields = text.split("::")
        if len(fields) < 3:
            raise ValueError(f"expected 3 fields, found {len(fields)}")
        title, year = split_title(fields[1])
        return MovieLensMovie(int(fields[0]), title, year, tmdb_genres(fields[2].split("|")))

    path = directory / "movies.dat"
    lines = ((number, text) for number, text in decoded_lines(path, "latin-1", bad) if text)
    movies = [
        found for found in parse_rows(lines, movie, path, bad) if isinstance(found, MovieLensMovie)
    ]
    return MovieLensData("grouplens-1m", movies, *ratings, bad_rows=bad)
