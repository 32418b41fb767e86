"""Ranked search over the catalogue at a bounded cost, whatever the number of matches.

Ranking a match means reading its row (its search document and sort keys); ranking every match
of a word found in a third of the catalogue read 33 000 rows. So a search ranks at most
`SEARCH_LIMIT` candidates: the most popular matches, plus every exact title match however
unpopular. When fewer movies match, the candidates are all the matches and nothing changes: the
exact count, every match ranked.

The candidates are found in whichever way is cheaper for these words, and only PostgreSQL's
statistics know which: walking the popularity index until enough rows match (a common word: its
matches are dense, the walk stops early) or reading every match through the GIN index and keeping
the most popular (a rarer word). The statement is therefore planned for its values (a custom
plan), with the search text inline rather than behind a once-per-statement subquery, so that the
planner sees the words and estimates their frequency from the column's statistics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, text, union
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.movie_filters import (
    all_of,
    conditions,
    fold,
    nullable_key,
    once,
    order_keys,
    ordered,
)
from app.adapters.postgres.tables import movies
from app.domain.catalogue.queries import MAX_SEARCH_RESULTS, MovieQuery
from app.domain.shared.pagination import PageRequest

SEARCH_LIMIT = MAX_SEARCH_RESULTS
CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")


def keyed(query: MovieQuery, where: list[ColumnElement[bool]]) -> Select[Any]:
    """Matching ids with their sort keys, and nothing else (a narrow row)."""
    keys = [key.label(f"key_{n}") for n, (key, _) in enumerate(order_keys(query))]
    return select(movies.c.id.label("movie_id"), *keys).where(all_of(where))


def popular_candidates(query: MovieQuery, limit: int) -> Select[Any]:
    """The `limit` most popular matches, plus the `limit` most popular exact title matches. Ids
    only: sort keys are computed for the candidates alone, not for every row the scan reads."""
    searched = query.search_text
    assert searched is not None
    exact_title = movies.c.title_folded == once(fold(literal(searched)))
    candidates = union(
        _most_popular(conditions(query, inline_text=True), limit),
        _most_popular([*conditions(query), exact_title], limit),
    )
    return keyed(query, [movies.c.id.in_(candidates)])


def _most_popular(where: list[ColumnElement[bool]], limit: int) -> Select[Any]:
    return (
        select(movies.c.id)
        .where(all_of(where))
        .order_by(movies.c.popularity.desc(), movies.c.id.desc())
        .limit(limit)
    )


def ranked_page_statement(
    query: MovieQuery, page: PageRequest, candidates: Any, columns: Sequence[Any]
) -> Select[Any]:
    """The page of `candidates` (ids and sort keys) in the query's order, with their number.
    The candidates go into a materialized CTE, are counted and ranked there; only the page's
    rows are then read whole."""
    directions = [descending for _, descending in order_keys(query)]
    nullable = [nullable_key(key) for key, _ in order_keys(query)]
    matches = candidates.cte("matches").prefix_with("MATERIALIZED")
    match_keys = [matches.c[f"key_{n}"] for n in range(len(directions))]
    ranked = (
        select(matches.c.movie_id, *match_keys, func.count().over().label("total"))
        .order_by(*map(ordered, match_keys, directions, nullable))
        .offset(page.offset)
        .limit(page.limit)
        .subquery("ranked")
    )
    page_keys = [ranked.c[f"key_{n}"] for n in range(len(directions))]
    return (
        select(*columns, ranked.c.total)
        .join_from(movies, ranked, ranked.c.movie_id == movies.c.id)
        .order_by(*map(ordered, page_keys, directions, nullable))
    )


def search_statement(
    query: MovieQuery, page: PageRequest, columns: Sequence[Any], limit: int
) -> Select[Any]:
    return ranked_page_statement(query, page, popular_candidates(query, limit), columns)


async def search_page(
    connection: AsyncConnection, query: MovieQuery, page: PageRequest, columns: Sequence[Any]
) -> tuple[list[Any], int]:
    """The page's rows and the number of results served; `([], 0)` past the end."""
    # Until the end of the transaction (the unit of work); a generic plan knows no words and
    # guesses that every search matches 0.5% of the catalogue.
    await connection.execute(CUSTOM_PLANS)
    statement = search_statement(query, page, columns, SEARCH_LIMIT)
    rows = list((await connection.execute(statement)).all())
    return rows, (rows[0].total if rows else 0)
