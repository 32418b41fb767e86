"""`MovieQuery` as SQL: every filter a sargable condition on an indexed column, the search a
full-text match plus a prefix range on the folded title, and orderings that end on the id.

The user's text is folded by `nexus_fold()` in SQL, the same function that fills the indexed
columns, so query and index always agree on what "the same letters" means. Folded values are
scalar subqueries: PostgreSQL computes them once per statement even under a generic plan of a
prepared statement (asyncpg's), instead of once per candidate row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
)

from app.adapters.postgres.folding import FOLD_FUNCTION
from app.adapters.postgres.tables import movies
from app.domain.catalogue.queries import MovieQuery, words

MIN_PREFIX = 3
# Past every character: the end of the prefix range in the folded title's byte order.
_LAST_CHARACTER = chr(0x10FFFF)
# Nullable columns whose descending order puts missing values last (their indexes agree).
_NULLS_LAST = {"release_date", "rating_average"}
# The text search configuration of the indexed document: no stemming, no stop words.
_SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")


def fold(value: Any) -> ColumnElement[str]:
    return getattr(func, FOLD_FUNCTION)(value)


def once(expression: ColumnElement[Any], *, inline: bool = False) -> ColumnElement[Any]:
    """Evaluated once per statement (an InitPlan), whatever the plan. `inline` leaves the
    expression inline instead, for statements planned for their values (custom plans): the
    planner then folds it into a constant and estimates its selectivity from the statistics."""
    return expression if inline else select(expression).scalar_subquery()


def tsquery(
    terms: tuple[str, ...], *, weight: str = "", inline: bool = False
) -> ColumnElement[Any]:
    """All words must match; the last one as a prefix (people search while typing) once it has
    three letters, since a shorter prefix matches much of the catalogue. Words hold only letters
    and digits, so they can never inject tsquery syntax."""
    parts = [f"{term}{weight and ':' + weight}" for term in terms]
    if len(terms[-1]) >= MIN_PREFIX:
        parts[-1] = f"{terms[-1]}:*{weight}"
    return once(func.to_tsquery(_SIMPLE, fold(literal(" & ".join(parts)))), inline=inline)


def title_prefix(text: str, *, inline: bool = False) -> ColumnElement[bool]:
    """The folded title starts with the folded text: a range the pattern-ops index serves."""
    folded = once(fold(literal(text)), inline=inline)
    upper = once(fold(literal(text)).concat(_LAST_CHARACTER).self_group(), inline=inline)
    return and_(
        movies.c.title_folded.op("~>=~", is_comparison=True)(folded),
        movies.c.title_folded.op("~<~", is_comparison=True)(upper),
    )


def _year_start(year: int) -> date:
    return date(year, 1, 1)


# Every filter but the text ones: its value in a query (None when not asked), and its
# condition on a bound parameter of its name.
_c = movies.c
FILTERS: tuple[
    tuple[str, Callable[[MovieQuery], Any], Callable[[Any], ColumnElement[bool]]], ...
] = (
    # Years as date ranges, so the release_date index serves them.
    ("year_from", lambda q: _year_of(q.year), lambda p: _c.release_date >= p),
    ("year_until", lambda q: _year_of(q.year, 1), lambda p: _c.release_date < p),
    ("year_gte", lambda q: _year_of(q.year_gte), lambda p: _c.release_date >= p),
    ("year_lte", lambda q: _year_of(q.year_lte, 1), lambda p: _c.release_date < p),
    ("min_rating", lambda q: q.min_rating, lambda p: _c.vote_average >= p),
    ("max_rating", lambda q: q.max_rating, lambda p: _c.vote_average <= p),
    ("min_popularity", lambda q: q.min_popularity, lambda p: _c.popularity >= p),
    ("min_runtime", lambda q: q.min_runtime, lambda p: _c.runtime >= p),
    ("max_runtime", lambda q: q.max_runtime, lambda p: _c.runtime <= p),
    ("min_votes", lambda q: q.min_votes, lambda p: _c.vote_count >= p),
    (
        "language",
        lambda q: q.language.strip().lower() if q.language else None,
        lambda p: _c.original_language == p,
    ),
    # `&&` (any) and `@>` (all) are the operators the GIN index on genre_ids serves.
    ("genres_any", lambda q: _genres(q, "any"), lambda p: _c.genre_ids.overlap(p)),
    ("genres_all", lambda q: _genres(q, "all"), lambda p: _c.genre_ids.contains(p)),
)


def _year_of(year: int | None, later: int = 0) -> date | None:
    return None if year is None else _year_start(year + later)


def _genres(query: MovieQuery, mode: str) -> list[int] | None:
    return list(query.genre_ids) if query.genre_ids and query.genre_mode == mode else None


def filter_values(query: MovieQuery) -> dict[str, Any]:
    """The query's filters other than its text, by the names of their bound parameters."""
    values = {name: value_of(query) for name, value_of, _ in FILTERS}
    return {name: value for name, value in values.items() if value is not None}


def bound_filters(
    names: Collection[str], values: Mapping[str, Any] | None = None
) -> list[ColumnElement[bool]]:
    """The conditions of the filters `names`: on parameters bound at execution (a statement
    built once for every query of that shape), or holding `values` when given."""
    where = []
    for name, _, condition in FILTERS:
        if name in names:
            where.append(condition(_parameter(name, values)))
    return where


def _parameter(name: str, values: Mapping[str, Any] | None) -> BindParameter[Any]:
    kind = _c.genre_ids.type if name.startswith("genres_") else None
    if values is None:
        return bindparam(name, type_=kind)
    return bindparam(name, values[name], type_=kind, unique=True)


def conditions(query: MovieQuery, *, inline_text: bool = False) -> list[ColumnElement[bool]]:
    c = movies.c
    values = filter_values(query)
    where = bound_filters(values, values)
    if query.title and query.title.strip():
        terms = query.title_words
        # Title words (weight A of the search document), else a prefix of the folded title.
        prefix = title_prefix(query.title.strip())
        where.append(
            or_(c.search_vector.op("@@", is_comparison=True)(tsquery(terms, weight="A")), prefix)
            if terms
            else prefix
        )
    text = query.search_text
    if text is not None:
        where.append(matches_text(text, inline=inline_text))
    return where


def matches_text(text: str, *, inline: bool = False) -> ColumnElement[bool]:
    """The search's words in the document, or the folded title starting with the text."""
    terms = words(text)
    prefix = title_prefix(text, inline=inline)
    if not terms:
        return prefix
    query = tsquery(terms, inline=inline)
    return or_(movies.c.search_vector.op("@@", is_comparison=True)(query), prefix)


def order_keys(query: MovieQuery) -> list[tuple[ColumnElement[Any], bool]]:
    """(expression, descending) pairs, most significant first, ending on the id."""
    c = movies.c
    text = query.search_text
    if query.ranked_by_relevance and text is not None:
        folded = once(fold(literal(text)))
        terms = words(text)
        rank = func.ts_rank(c.search_vector, tsquery(terms)) if terms else literal(0.0)
        return [
            (case((c.title_folded == folded, 0), else_=1), False),
            (case((title_prefix(text), 0), else_=1), False),
            (rank, True),
            (c.popularity, True),
            (c.id, True),
        ]
    return plain_order_keys(query.order_field, query.descending)


def plain_order_keys(field: str, descending: bool) -> list[tuple[ColumnElement[Any], bool]]:
    """A column's order, then the id's: the order of every query without search text."""
    return [(movies.c[field], descending), (movies.c.id, descending)]


def nullable_key(expression: ColumnElement[Any]) -> bool:
    return getattr(expression, "name", None) in _NULLS_LAST


def ordered(
    expression: ColumnElement[Any], descending: bool, nullable: bool = False
) -> ColumnElement[Any]:
    # Missing dates and local ratings come last both ways, as their DESC indexes are built.
    if not descending:
        return expression.asc()
    return expression.desc().nulls_last() if nullable else expression.desc()


def ordering(query: MovieQuery) -> list[ColumnElement[Any]]:
    return as_order_by(order_keys(query))


def as_order_by(keys: list[tuple[ColumnElement[Any], bool]]) -> list[ColumnElement[Any]]:
    return [ordered(key, descending, nullable_key(key)) for key, descending in keys]


def all_of(where: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return and_(true(), *where)
