"""The tables of the in-memory fake database, and what the fakes share about them."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from app.domain.accounts.tokens import RefreshRecord
from app.domain.accounts.users import User
from app.domain.catalogue.movies import Genre, Movie
from app.domain.social.playlists import Playlist
from app.domain.social.ratings import Rating

# Hands out ids like a PostgreSQL sequence: never reused, never rolled back.
NewId = Callable[[], int]
K = TypeVar("K")
V = TypeVar("V")


class Table(dict[K, V], Generic[K, V]):
    """A table's rows by key, remembering which keys were written or deleted. Rows are frozen
    dataclasses or tuples, or lists the fakes replace rather than change in place, so a copy of
    the dict is a snapshot."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.changed: set[K] = set()

    def __setitem__(self, key: K, value: V) -> None:
        self.changed.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: K) -> None:
        self.changed.add(key)
        super().__delitem__(key)

    def pop(self, key: K, *default: Any) -> Any:
        self.changed.add(key)
        return super().pop(key, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FakeStore:
    """One dict per table, keyed like the table's primary key. A unit of work edits a snapshot and
    its commit writes back the rows it changed (`FakeUnitOfWork`)."""

    users: Table[int, User] = field(default_factory=Table)
    refresh_tokens: Table[str, RefreshRecord] = field(default_factory=Table)  # by jti hash
    movies: Table[int, Movie] = field(default_factory=Table)
    ratings_sums: Table[int, int] = field(default_factory=Table)  # movie id -> sum of scores
    genres: Table[int, Genre] = field(default_factory=Table)
    ratings: Table[int, Rating] = field(default_factory=Table)
    playlists: Table[int, Playlist] = field(default_factory=Table)  # headers, without movies
    # playlist id -> (movie id, added at) in position order
    playlist_items: Table[int, list[tuple[int, datetime]]] = field(default_factory=Table)
    trending: Table[str, list[tuple[int, int]]] = field(default_factory=Table)  # (rank, movie id)

    def snapshot(self) -> FakeStore:
        """A copy to work on: its changes are tracked, the rows themselves are shared."""
        return FakeStore(**{name: Table(getattr(self, name)) for name in TABLES})

    def apply(self, changes: FakeStore) -> None:
        """Write back the rows `changes` wrote or deleted, and nothing else."""
        for name in TABLES:
            source: Table[Any, Any] = getattr(changes, name)
            target: Table[Any, Any] = getattr(self, name)
            for key in source.changed:
                if key in source:
                    target[key] = source[key]
                else:
                    target.pop(key, None)
            source.changed.clear()


TABLES = tuple(name for name in FakeStore.__dataclass_fields__)


class IdSequence:
    def __init__(self) -> None:
        self._next = itertools.count(1)

    def __call__(self) -> int:
        return next(self._next)
