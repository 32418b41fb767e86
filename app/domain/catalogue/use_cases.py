"""The catalogue use cases a running service holds, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalogue.browsing import (
    GetMovie,
    ListGenres,
    ListMovies,
    RecentMovies,
    TopRatedMovies,
)
from app.domain.catalogue.editing import CreateMovie, DeleteMovie, UpdateMovie
from app.domain.catalogue.genre_refs import NameGenres, ResolveGenres


@dataclass(frozen=True, slots=True)
class CatalogueUseCases:
    list_movies: ListMovies
    get_movie: GetMovie
    recent_movies: RecentMovies
    top_rated_movies: TopRatedMovies
    list_genres: ListGenres
    create_movie: CreateMovie
    update_movie: UpdateMovie
    delete_movie: DeleteMovie
    resolve_genres: ResolveGenres
    name_genres: NameGenres
