"""TMDb bodies into domain movies. TMDb is loose about types (empty dates, null paths, integer
vote averages); one odd item is skipped with a warning rather than failing its whole page."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.tmdb.ports import TmdbBadResponse, TmdbMovieDetails, TmdbPage

log = logging.getLogger(__name__)

# Column sizes of the `movies` table: longer values are cut rather than refused.
MAX_TITLE = 500
MAX_PATH = 255
MAX_LANGUAGE = 16
MAX_STATUS = 50
MAX_IMDB_ID = 16


def page_from_body(body: Any) -> TmdbPage:
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise TmdbBadResponse("TMDb answered a list request without a `results` list.")
    movies = []
    for item in body["results"]:
        try:
            movies.append(movie_from_item(item))
        except (KeyError, TypeError, ValueError) as error:
            log.warning("skipping a TMDb list item we cannot read: %s", error)
    return TmdbPage(
        page=_int(body.get("page"), 1),
        total_pages=_int(body.get("total_pages"), 0),
        total_results=_int(body.get("total_results"), 0),
        movies=tuple(movies),
    )


def genres_from_body(body: Any) -> tuple[Genre, ...]:
    if not isinstance(body, dict) or not isinstance(body.get("genres"), list):
        raise TmdbBadResponse("TMDb answered the genre list without a `genres` list.")
    try:
        return tuple(_genre(item) for item in body["genres"])
    except (KeyError, TypeError, ValueError):
        raise TmdbBadResponse("TMDb's genre list has an unreadable genre.") from None


def details_from_body(body: Any) -> TmdbMovieDetails:
    if not isinstance(body, dict):
        raise TmdbBadResponse("TMDb answered the movie details with a body that is not an object.")
    try:
        genres = tuple(_genre(item) for item in body.get("genres") or ())
        movie = movie_from_item({**body, "genre_ids": [genre.id for genre in genres]})
    except (KeyError, TypeError, ValueError) as error:
        raise TmdbBadResponse(f"TMDb's movie details are unreadable: {error}") from None
    return TmdbMovieDetails(movie=movie, genres=genres)


def movie_from_item(item: Any) -> MovieData:
    """A list item, search result or details body as `MovieData`; the details-only fields stay
    None when absent."""
    if not isinstance(item, dict):
        raise TypeError("an item is not an object")
    tmdb_id = item["id"]
    if not isinstance(tmdb_id, int) or isinstance(tmdb_id, bool) or tmdb_id <= 0:
        raise ValueError(f"id {tmdb_id!r} is not a positive integer")
    title = _text(item.get("title")) or _text(item.get("original_title"))
    if not title:
        raise ValueError(f"movie {tmdb_id} has no title")
    return MovieData(
        title=title[:MAX_TITLE],
        tmdb_id=tmdb_id,
        imdb_id=_short(item.get("imdb_id"), MAX_IMDB_ID),
        original_title=_text(item.get("original_title"))[:MAX_TITLE],
        overview=_text(item.get("overview")),
        tagline=_text(item.get("tagline")) or None,
        status=_short(item.get("status"), MAX_STATUS),
        release_date=_date(item.get("release_date")),
        genre_ids=tuple(_genre_ids(item.get("genre_ids"))),
        poster_path=_short(item.get("poster_path"), MAX_PATH),
        backdrop_path=_short(item.get("backdrop_path"), MAX_PATH),
        popularity=max(0.0, _float(item.get("popularity"))),
        vote_average=min(10.0, max(0.0, _float(item.get("vote_average")))),
        vote_count=max(0, _int(item.get("vote_count"), 0)),
        original_language=_short(item.get("original_language"), MAX_LANGUAGE),
        runtime=_int(item.get("runtime"), None) or None,
    )


def _genre(item: Any) -> Genre:
    genre_id, name = item["id"], item["name"]
    if not isinstance(genre_id, int) or not isinstance(name, str):
        raise ValueError("a genre needs an integer id and a name")
    return Genre(id=genre_id, name=name)


def _genre_ids(value: Any) -> list[int]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, int) and not isinstance(item, bool)]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _short(value: Any, limit: int) -> str | None:
    text = _text(value)
    return text[:limit] if text else None


def _date(value: Any) -> date | None:
    """TMDb sends "" (or nothing) for an unknown release date."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return 0.0


def _int(value: Any, default: int | None) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return default
