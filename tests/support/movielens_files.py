"""Small MovieLens releases written to disk in the three layouts the importer reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.model_fitting.movielens import MovieLensData
from app.model_fitting.synthetic import generate

U_ITEM_GENRES = 19


def small_release(
    users: int = 60, movies: int = 40, ratings: int = 900, seed: int = 3
) -> MovieLensData:
    return generate(movies, users, ratings, seed=seed)


def write_grouplens_100k(directory: Path, seed: int = 3) -> Path:
    data = small_release(seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "u.data").open("w") as out:
        for user, item, score, ts in zip(
            data.users, data.items, data.scores, data.timestamps, strict=True
        ):
            out.write(f"{user}\t{item}\t{score}\t{int(ts)}\n")
    flags = ["0"] * U_ITEM_GENRES
    with (directory / "u.item").open("w", encoding="latin-1") as out:
        for movie in data.movies:
            row = list(flags)
            row[10] = "1" if movie.movielens_id % 2 else "0"  # Film-Noir
            row[4] = "1" if movie.movielens_id % 3 == 0 else "0"  # Children's
            title = f"{movie.title} ({movie.year})"
            if movie.movielens_id == 1:
                title = "Usual Suspects, The (1995)"
            out.write(
                f"{movie.movielens_id}|{title}|01-Jan-{movie.year}||http://x|{'|'.join(row)}\n"
            )
    return directory


def write_csv_release(directory: Path) -> Path:
    """ml-latest-small's layout, with half-star ratings and TMDb links."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "movies.csv").write_text(
        "movieId,title,genres\n"
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
        '2,"American President, The (1995)",Comedy|Drama|Romance\n'
        "3,Blade Runner (1982),Sci-Fi|Thriller|IMAX\n"
        "4,Untitled,(no genres listed)\n",
        encoding="utf-8",
    )
    (directory / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n1,0114709,862\n2,0112346,9087\n3,0083658,78\n4,0000001,\n",
        encoding="utf-8",
    )
    (directory / "ratings.csv").write_text(
        "userId,movieId,rating,timestamp\n"
        "1,1,4.5,964982703\n1,2,0.5,964981247\n1,3,3.5,964982224\n"
        "2,1,5.0,964982931\n2,3,2.0,964983815\n3,4,1.5,964982400\n",
        encoding="utf-8",
    )
    return directory


def write_recbole(directory: Path, seed: int = 3) -> Path:
    data = small_release(seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    rows = ["user_id:token\titem_id:token\trating:float\ttimestamp:float"]
    rows += [
        f"{u}\t{i}\t{s}\t{int(t)}"
        for u, i, s, t in zip(data.users, data.items, data.scores, data.timestamps, strict=True)
    ]
    (directory / "tiny.inter").write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = ["item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq"]
    items += [f"{m.movielens_id}\t{m.title}\t{m.year}\tCrime Sci-Fi" for m in data.movies]
    (directory / "tiny.item").write_text("\n".join(items) + "\n", encoding="utf-8")
    return directory


def rating_total(directory: Path) -> int:
    return int(np.loadtxt(directory / "u.data", dtype=np.int64, ndmin=2)[:, 2].sum())
