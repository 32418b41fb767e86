"""The PostgreSQL adapters' movie column lists are derived from the table and the entities, so a
column added to one of them cannot be silently left out of a read or an upsert."""

from __future__ import annotations

from dataclasses import fields

from app.adapters.postgres.catalogue_writer import DETAILS_COLUMNS, LIST_COLUMNS
from app.adapters.postgres.movies import MOVIE_FIELDS
from app.adapters.postgres.recommendation_reader import MOVIE_COLUMNS as CANDIDATE_SQL
from app.adapters.postgres.tables import MOVIE_INTERNAL_COLUMNS, movies
from app.domain.catalogue.movies import Movie, MovieData


def test_reads_select_exactly_what_a_movie_carries() -> None:
    assert sorted(MOVIE_FIELDS) == sorted(item.name for item in fields(Movie))
    assert set(MOVIE_FIELDS) | MOVIE_INTERNAL_COLUMNS == set(movies.c.keys())


def test_a_tmdb_upsert_writes_every_field_a_source_states_but_the_ids() -> None:
    written = {*LIST_COLUMNS, *DETAILS_COLUMNS}
    assert written == {item.name for item in fields(MovieData)} - {"tmdb_id", "movielens_id"}
    assert not set(LIST_COLUMNS) & set(DETAILS_COLUMNS)
    assert written <= set(movies.c.keys())


def test_candidates_read_columns_of_the_table() -> None:
    selected = [part.strip().split()[0] for part in CANDIDATE_SQL.split(",")]
    names = [item.removeprefix("m.") for item in selected if item.startswith("m.")]
    assert set(names) <= set(movies.c.keys()) and "overview" not in names
