"""Every genre as this process last read it, shared by its units of work.

A list page named its genres with two queries (the filter's names to ids, then the names of the
genres on the page) on a table of a few dozen rows that changes when a TMDb sync or an import
meets a new genre. The directory keeps the table for `ttl_seconds`; an id or a name it does not
know is read again from the database before anyone is told it is unknown, so a genre added on
another replica is found at once. A genre renamed elsewhere shows its old name here for at most
the TTL. Genre writes in this process forget the copy, and a unit of work that wrote genres reads
the database itself, so what it has not committed is never shared.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable

from app.domain.catalogue.movies import Genre

TTL_SECONDS = 60.0


class GenreDirectory:
    def __init__(self, ttl_seconds: float = TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._by_id: dict[int, Genre] | None = None
        self._lower_names: set[str] = set()
        self._read_at = 0.0

    def forget(self) -> None:
        self._by_id = None

    def keep(self, found: Iterable[Genre]) -> None:
        self._by_id = {genre.id: genre for genre in found}
        self._lower_names = {genre.name.lower() for genre in self._by_id.values()}
        self._read_at = time.monotonic()

    async def table(
        self,
        read_all: Callable[[], Awaitable[list[Genre]]],
        wanted_ids: Iterable[int] = (),
        wanted_names: Iterable[str] = (),
    ) -> dict[int, Genre]:
        """The table, read again when it is old or misses a wanted id or lower-cased name."""
        current = self._by_id
        if current is not None and time.monotonic() - self._read_at < self._ttl:
            names = self._lower_names
            if all(i in current for i in wanted_ids) and all(n in names for n in wanted_names):
                return current
        self.keep(await read_all())
        assert self._by_id is not None
        return self._by_id
