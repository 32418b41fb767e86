"""`MovieQuery` as SQL: every filter a sargable condition on an indexed column, the search a
full-text match plus a prefix range on the folded title, and orderings that end on the id.

The user's text is folded by `nexus_fold()` in SQL, the same function that fills the indexed
columns, so query and index always agree on what "the same letters" means. Folded values are
scalar subqueries: PostgreSQL computes them once per statement even under a generic plan of a
prepared statement (asyncpg's), instead of once per candidate row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, literal_column, or_, select, true

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


def conditions(query: MovieQuery, *, inline_text: bool = False) -> list[ColumnElement[bool]]:
    c = movies.c
    where: list[ColumnElement[bool]] = []
    # Years as date ranges, so the release_date index serves them.
    if query.year is not None:
        where += [c.release_date >= _year_start(query.year)]
        where += [c.release_date < _year_start(query.year + 1)]
    if query.year_gte is not None:
        where.append(c.release_date >= _year_start(query.year_gte))
    if query.year_lte is not None:
        where.append(c.release_date < _year_start(query.year_lte + 1))
    if query.min_rating is not None:
        where.append(c.vote_average >= query.min_rating)
    if query.max_rating is not None:
        where.append(c.vote_average <= query.max_rating)
    if query.min_popularity is not None:
        where.append(c.popularity >= query.min_popularity)
    if query.min_runtime is not None:
        where.append(c.runtime >= query.min_runtime)
    if query.max_runtime is not None:
        where.append(c.runtime <= query.max_runtime)
    if query.min_votes is not None:
        where.append(c.vote_count >= query.min_votes)
    if query.language:
        where.append(c.original_language == query.language.strip().lower())
    if query.genre_ids:
        wanted = literal(list(query.genre_ids), c.genre_ids.type)
        # `&&` (any) and `@>` (all) are the operators the GIN index on genre_ids serves.
        where.append(
            c.genre_ids.overlap(wanted)
            if query.genre_mode == "any"
            else c.genre_ids.contains(wanted)
        )
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
    return [(c[query.order_field], query.descending), (c.id, query.descending)]


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
    return [ordered(key, descending, nullable_key(key)) for key, descending in order_keys(query)]


def all_of(where: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    return and_(true(), *where)
