"""What a client may ask of the catalogue list, checked before any query runs: filters with the
original API's names, a ranked search, and an ordering that always ends on the id so pages never
overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from app.domain.catalogue.genre_refs import canonical_name
from app.domain.shared.errors import InvalidInput

ORDER_FIELDS: Final = (
    "popularity",
    "vote_average",
    "release_date",
    "created_at",
    "title",
    "rating_average",
    "ratings_count",
)
ORDERINGS: Final = tuple(value for field in ORDER_FIELDS for value in (field, f"-{field}"))
DEFAULT_ORDERING: Final = "-popularity"
GENRE_MODES: Final = ("any", "all")
MIN_YEAR, MAX_YEAR = 1800, 2200
MAX_SEARCH_LENGTH: Final = 200
# A search ranks at most this many of its most popular matches (plus as many exact title
# matches): ranking every match of a word found in a third of the catalogue costs too much.
MAX_SEARCH_RESULTS: Final = 500
MAX_GENRES: Final = 20
MAX_POPULARITY: Final = 1e9
MAX_RUNTIME: Final = 100_000
MAX_VOTES: Final = 2**31 - 1
# Words are what PostgreSQL's `simple` parser indexes; anything else in the text only separates.
_WORD = re.compile(r"[^\W_]+")

GenreMode = Literal["any", "all"]


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}.", details=[{"field": field, "message": message}])


def _check_range(field: str, value: float | None, low: float, high: float) -> None:
    if value is not None and not low <= value <= high:
        raise invalid(field, f"must be between {low:g} and {high:g}")


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


@dataclass(frozen=True, slots=True)
class MovieQuery:
    """Filters of `GET /api/movies/`. `genres` holds what the client sent (ids or names);
    the use case resolves them to `genre_ids` before the repository sees the query."""

    title: str | None = None
    year: int | None = None
    year_gte: int | None = None
    year_lte: int | None = None
    min_rating: float | None = None
    max_rating: float | None = None
    min_popularity: float | None = None
    min_runtime: int | None = None
    max_runtime: int | None = None
    genres: tuple[str, ...] = ()
    genre_mode: str = "any"
    language: str | None = None
    min_votes: int | None = None
    search: str | None = None
    ordering: str | None = None  # None: relevance when searching, else DEFAULT_ORDERING
    genre_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for field in ("year", "year_gte", "year_lte"):
            _check_range(field, getattr(self, field), MIN_YEAR, MAX_YEAR)
        _check_range("min_rating", self.min_rating, 0, 10)
        _check_range("max_rating", self.max_rating, 0, 10)
        _check_range("min_popularity", self.min_popularity, 0, MAX_POPULARITY)
        _check_range("min_runtime", self.min_runtime, 0, MAX_RUNTIME)
        _check_range("max_runtime", self.max_runtime, 0, MAX_RUNTIME)
        _check_range("min_votes", self.min_votes, 0, MAX_VOTES)
        # A minimum above its maximum is not an error: nothing matches, as the schema promises.
        if self.genre_mode not in GENRE_MODES:
            raise invalid("genre_mode", "must be one of any, all")
        if len(self.genres) > MAX_GENRES:
            raise invalid("genre", f"at most {MAX_GENRES} genres")
        if self.ordering is not None and self.ordering not in ORDERINGS:
            raise invalid("ordering", f"must be one of {', '.join(ORDERINGS)}")
        for field in ("search", "title"):
            value = getattr(self, field)
            if value is not None and len(value) > MAX_SEARCH_LENGTH:
                raise invalid(field, f"at most {MAX_SEARCH_LENGTH} characters")
        for field, values in (
            ("search", [self.search]),
            ("title", [self.title]),
            ("language", [self.language]),
            ("genre", self.genres),
        ):
            if any(value and "\x00" in value for value in values):
                raise invalid(field, "must not contain NUL characters")

    @property
    def search_text(self) -> str | None:
        """The search as typed, stripped; None when blank (a blank search filters nothing)."""
        text = (self.search or "").strip()
        return text or None

    @property
    def title_words(self) -> tuple[str, ...]:
        return words(self.title or "")

    @property
    def ranked_by_relevance(self) -> bool:
        return self.ordering is None and self.search_text is not None

    @property
    def order_field(self) -> str:
        return (self.ordering or DEFAULT_ORDERING).lstrip("-")

    @property
    def descending(self) -> bool:
        return (self.ordering or DEFAULT_ORDERING).startswith("-")


def genre_tokens(values: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Split the `genre` values into ids and lower-cased names, aliases resolved (a number is an
    id)."""
    ids: list[int] = []
    names: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            raise invalid("genre", "must not be blank")
        if value.isascii() and value.isdigit() and len(value) <= 9:  # not "²" or "٢"
            ids.append(int(value))
        else:
            names.append(canonical_name(value))
    return tuple(ids), tuple(names)
