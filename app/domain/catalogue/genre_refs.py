"""Genres named by id or by name, as the original API's clients send them (`["Action",
"Sci-Fi"]`): names match case-insensitively, with the original's aliases; an unknown genre is a
422 naming the field, never silently dropped."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.catalogue.movies import Genre
from app.domain.shared.errors import InvalidInput
from app.domain.shared.ports import Database, UnitOfWork

# Lower-cased alias -> lower-cased TMDb name.
GENRE_ALIASES: dict[str, str] = {
    "sci-fi": "science fiction",
    "scifi": "science fiction",
    "sci fi": "science fiction",
    "science-fiction": "science fiction",
    "tv-movie": "tv movie",
    "tv": "tv movie",
    "musical": "music",
    "doc": "documentary",
    "docs": "documentary",
    "romcom": "romance",
    "kids": "family",
}

GenreRef = int | str


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}.", details=[{"field": field, "message": message}])


def canonical_name(name: str) -> str:
    folded = " ".join(name.split()).casefold()
    return GENRE_ALIASES.get(folded, folded)


async def resolve_genre_refs(
    uow: UnitOfWork, refs: Iterable[GenreRef], field: str
) -> tuple[int, ...]:
    """The ids of the given genres in the order given, each once."""
    refs = list(refs)
    ids = [ref if isinstance(ref, int) else int(ref) for ref in refs if _is_id(ref)]
    names = [canonical_name(str(ref)) for ref in refs if not _is_id(ref)]
    if any(not name for name in names):
        raise _invalid(field, "a genre name must not be blank")
    found = await uow.genres.matching(ids, names) if refs else []
    known_ids = {genre.id for genre in found}
    by_name = {genre.name.casefold(): genre.id for genre in found}
    unknown = [str(ref) for ref in refs if _is_id(ref) and int(ref) not in known_ids] + [
        str(ref) for ref in refs if not _is_id(ref) and canonical_name(str(ref)) not in by_name
    ]
    if unknown:
        raise _invalid(field, f"unknown genre: {', '.join(unknown)} (see /api/genres/)")
    resolved = [int(ref) if _is_id(ref) else by_name[canonical_name(str(ref))] for ref in refs]
    return tuple(dict.fromkeys(resolved))


def _is_id(ref: GenreRef) -> bool:
    return isinstance(ref, int) or (ref.strip().isdigit() and len(ref.strip()) <= 9)


class ResolveGenres:
    """Genre ids from ids or names; `InvalidInput` naming `field` for any unknown one."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, refs: Iterable[GenreRef], field: str) -> tuple[int, ...]:
        async with self._database.unit_of_work() as uow:
            return await resolve_genre_refs(uow, refs, field)


class NameGenres:
    """The genres of the given ids, in that order (ids of genres since deleted are left out)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def __call__(self, genre_ids: Iterable[int]) -> list[Genre]:
        ids = list(genre_ids)
        if not ids:
            return []
        async with self._database.unit_of_work() as uow:
            by_id = await uow.genres.by_ids(ids)
        return [by_id[genre_id] for genre_id in ids if genre_id in by_id]
