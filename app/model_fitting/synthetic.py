"""A generated catalogue for benchmarks: power-law movie popularity and users in taste clusters,
so that collaborative models have real structure to find. Deterministic for a given seed."""

from __future__ import annotations

import numpy as np

from app.model_fitting.movielens import MovieLensData, MovieLensMovie
from app.model_fitting.movielens_format import TMDB_GENRES

CLUSTERS = 20
IN_CLUSTER_BOOST = 40.0  # a user is this much likelier to pick a movie of their own cluster
POPULARITY_EXPONENT = 1.0  # Zipf: the r-th most popular movie is picked ∝ 1 / r
START = 1_600_000_000  # timestamps spread over the year after this moment
YEAR_SECONDS = 365 * 24 * 3600


def generate(movies: int, users: int, ratings: int, seed: int = 7) -> MovieLensData:
    rng = np.random.default_rng(seed)
    genre_ids = np.array(list(TMDB_GENRES))
    cluster_genres = [rng.choice(genre_ids, size=3, replace=False) for _ in range(CLUSTERS)]
    movie_cluster = rng.integers(0, CLUSTERS, size=movies)
    popularity = 1.0 / (rng.permutation(movies) + 1.0) ** POPULARITY_EXPONENT
    catalogue = []
    for index in range(movies):
        own = cluster_genres[movie_cluster[index]]
        picked = rng.choice(own, size=int(rng.integers(1, 3)), replace=False)
        catalogue.append(
            MovieLensMovie(
                movielens_id=index + 1,
                title=f"Synthetic movie {index + 1}",
                year=int(rng.integers(1950, 2025)),
                genre_ids=tuple(int(g) for g in picked),
            )
        )
    user_cluster = rng.integers(0, CLUSTERS, size=users)
    # Ratings per user: a long tail, like real services, capped by the catalogue size.
    wanted = rng.lognormal(mean=0.0, sigma=1.0, size=users)
    counts = np.clip(np.rint(wanted / wanted.sum() * ratings), 1, movies).astype(np.int64)
    log_weights = {
        cluster: np.log(popularity * np.where(movie_cluster == cluster, IN_CLUSTER_BOOST, 1.0))
        for cluster in range(CLUSTERS)
    }
    user_list, item_list, score_list = [], [], []
    for user in range(users):
        cluster = int(user_cluster[user])
        # Gumbel top-k: k distinct movies drawn with probability ∝ weight, in one pass.
        keys = log_weights[cluster] + rng.gumbel(size=movies)
        chosen = np.argpartition(-keys, counts[user] - 1)[: counts[user]]
        same = movie_cluster[chosen] == cluster
        score = np.clip(np.rint(3 + same + rng.normal(0, 1, size=len(chosen))), 1, 5)
        user_list.append(np.full(len(chosen), user + 1))
        item_list.append(chosen + 1)
        score_list.append(score)
    users_column = np.concatenate(user_list)
    return MovieLensData(
        release="synthetic",
        movies=catalogue,
        users=users_column,
        items=np.concatenate(item_list),
        scores=np.concatenate(score_list).astype(np.int16),
        timestamps=START + rng.integers(0, YEAR_SECONDS, size=len(users_column)).astype(float),
    )
