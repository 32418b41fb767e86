"""The TMDb use cases a running service holds, built once by the composition root when TMDb
credentials are configured."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.tmdb.lookup import ImportFromTmdb, SearchTmdb


@dataclass(frozen=True, slots=True)
class TmdbUseCases:
    search: SearchTmdb
    import_movie: ImportFromTmdb
