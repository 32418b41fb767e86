"""Search that forgives typos: when the exact search finds fewer than `FUZZY_BELOW` movies, the
movies whose title words lie within one or two edits of the searched words fill in below them.

A typo is corrected against the vocabulary of title words (`movie_title_words`): its candidate
words are those sharing its first letter and a length within the allowed edits; when none of them
is close enough and the server ships `pg_trgm`, those its trigram index finds (so a typo in the
first letter is forgiven there only). The edit distance of the bounded candidate set is computed
here; the corrected words then select movies through the GIN index of the titles' own words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import ColumnElement, and_, func, literal, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.folding import ACCENTED, PLAIN
from app.adapters.postgres.movie_filters import all_of, conditions
from app.adapters.postgres.movie_search import search_page
from app.adapters.postgres.tables import movie_title_words, movies
from app.domain.catalogue.queries import MovieQuery
from app.domain.shared.pagination import PageRequest

# Fuzzy matches fill in only below a few exact ones: a search that already finds plenty is
# served as typed, and at no extra cost.
FUZZY_BELOW = 10
FUZZY_LIMIT = 20
# Shorter words are left as typed: one edit away, half the vocabulary is a "correction".
MIN_TYPO_LENGTH = 4
CORRECTIONS_PER_WORD = 8
TRIGRAM_INDEX = "ix_movie_title_words_trigrams"
_FOLD = str.maketrans(ACCENTED, PLAIN)
# The vocabulary holds ASCII letters and digits only, which are also safe inside a tsquery.
_WORD = re.compile(r"[a-z0-9]+")


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def folded_words(text_: str) -> list[str]:
    """The words as `nexus_fold()` and the 'simple' parser see them (ASCII words only)."""
    return _WORD.findall(text_.lower().translate(_FOLD))


async def has_trigrams(connection: AsyncConnection) -> bool:
    found = await connection.execute(
        text("SELECT to_regclass(:name) IS NOT NULL"), {"name": TRIGRAM_INDEX}
    )
    return bool(found.scalar_one())


async def candidate_words(connection: AsyncConnection, word: str, *, trigrams: bool) -> list[str]:
    """Vocabulary words that may lie within `max_edits` of `word`: a bounded superset."""
    column = movie_title_words.c.word
    edits = max_edits(word)
    # Words further apart in length than the edits allowed cannot be close: never sent here.
    near_in_length = func.length(column).between(len(word) - edits, len(word) + edits)
    close: ColumnElement[bool]
    if trigrams:
        close = and_(column.op("%", is_comparison=True)(literal(word)), near_in_length)
    else:
        close = and_(func.left(column, 1) == word[0], near_in_length)
    return list((await connection.execute(select(column).where(close))).scalars())


def close_words(word: str, candidates: Sequence[str]) -> list[str]:
    """The candidates within `max_edits` of `word`, closest first, at most a few."""
    found = process.extract(
        word,
        candidates,
        scorer=Levenshtein.distance,
        score_cutoff=max_edits(word),
        limit=CORRECTIONS_PER_WORD,
    )
    return [choice for choice, _, _ in found]


async def corrections(
    connection: AsyncConnection, words: list[str], *, trigrams: bool
) -> list[list[str]] | None:
    """Each word with its corrections; None when no word has any (nothing new to find)."""
    variants: list[list[str]] = []
    for n, word in enumerate(words):
        if len(word) < MIN_TYPO_LENGTH:
            variants.append([word])
            continue
        close = close_words(word, await candidate_words(connection, word, trigrams=False))
        if trigrams and not [w for w in close if w != word]:
            # A second chance, for a typo in the first letter: trigram look-ups cost more, and
            # they miss transpositions in short words (`secert`) that the first look-up finds.
            close = close_words(word, await candidate_words(connection, word, trigrams=True))
        if n == len(words) - 1:
            # The last word is being typed (the exact search reads it as a prefix): a word it
            # starts with is an unfinished word, not a typo ("starg" is not "star").
            close = [w for w in close if not word.startswith(w)]
        variants.append([word, *(w for w in close if w != word)])
    return variants if any(len(options) > 1 for options in variants) else None


async def fuzzy_rows(
    connection: AsyncConnection,
    query: MovieQuery,
    columns: Sequence[Any],
    exclude: Sequence[int],
    *,
    trigrams: bool,
) -> list[Any]:
    """The most popular movies matching the corrected words in their titles, other filters
    kept, the exact matches (`exclude`) left out."""
    words = folded_words(query.search_text or "")
    variants = await corrections(connection, words, trigrams=trigrams) if words else None
    if variants is None:
        return []
    tsquery = " & ".join("(" + " | ".join(options) + ")" for options in variants)
    simple: ColumnElement[Any] = literal_column("'simple'::regconfig")
    # The expression of `ix_movies_title_words`: title words only, indexed.
    title_words = func.to_tsvector(simple, movies.c.title_folded)
    matched = title_words.op("@@", is_comparison=True)(func.to_tsquery(simple, literal(tsquery)))
    where = [*conditions(replace(query, search=None)), matched, movies.c.id.not_in(exclude)]
    statement = (
        select(*columns)
        .where(all_of(where))
        .order_by(movies.c.popularity.desc(), movies.c.id.desc())
        .limit(FUZZY_LIMIT)
    )
    return list((await connection.execute(statement)).all())


async def forgiving_search_page(
    connection: AsyncConnection, query: MovieQuery, page: PageRequest, columns: Sequence[Any]
) -> tuple[list[Any], int]:
    """`search_page`, with fuzzy matches below fewer than `FUZZY_BELOW` exact ones when the
    results are ranked by relevance (an explicit ordering serves exact matches only)."""
    rows, total = await search_page(connection, query, page, columns)
    if not query.ranked_by_relevance or total >= FUZZY_BELOW:
        return rows, total
    if page.offset > 0 or len(rows) < total:
        rows, total = await search_page(connection, query, PageRequest(1, FUZZY_BELOW), columns)
    trigrams = await has_trigrams(connection)
    extra = await fuzzy_rows(
        connection, query, columns, [row.id for row in rows], trigrams=trigrams
    )
    everything = [*rows, *extra]
    served = everything[page.offset : page.offset + page.limit]
    # `([], 0)` past the end, as `search_page` answers.
    return served, (len(everything) if served else 0)
