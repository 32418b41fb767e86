"""A small release in ml-latest-small's CSV layout with three clear tastes, so a demo account
that loves Animation visibly gets different recommendations from the popular list: Horror is the
most rated genre, Animation has more movies than the demo account rates."""

from __future__ import annotations

import random
from pathlib import Path

GENRES = {"Cartoon": "Animation|Children", "Scream": "Horror|Thriller", "Story": "Drama"}
MOVIES = {"Cartoon": 25, "Scream": 15, "Story": 15}
FANS = {"Cartoon": 20, "Scream": 35, "Story": 15}  # Horror's fans make it the most rated


def write_taste_release(directory: Path, seed: int = 11) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    movies: dict[str, list[int]] = {}
    lines = ["movieId,title,genres"]
    movie_id = 0
    for kind, count in MOVIES.items():
        for number in range(1, count + 1):
            movie_id += 1
            movies.setdefault(kind, []).append(movie_id)
            lines.append(f"{movie_id},{kind} {number} (2001),{GENRES[kind]}")
    (directory / "movies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ratings = ["userId,movieId,rating,timestamp"]
    user = 0
    for kind, fans in FANS.items():
        for _ in range(fans):
            user += 1
            liked = rng.sample(movies[kind], k=min(len(movies[kind]), 12))
            others = [m for other, ids in movies.items() if other != kind for m in ids]
            for movie in liked:
                ratings.append(f"{user},{movie},{rng.choice([4.0, 4.5, 5.0])},96498{user:04d}")
            for movie in rng.sample(others, k=3):
                ratings.append(f"{user},{movie},{rng.choice([1.0, 1.5, 2.0])},96499{user:04d}")
    (directory / "ratings.csv").write_text("\n".join(ratings) + "\n", encoding="utf-8")
    (directory / "README.txt").write_text("A test release, not GroupLens data.\n")
    return directory
