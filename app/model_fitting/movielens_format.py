"""How MovieLens describes movies and ratings, translated to ours: titles and years, TMDb genre
ids and 1-5 stars. Pure functions; the readers are in `movielens.py`."""

from __future__ import annotations

import math
import re

# MovieLens genre -> TMDb genre ids. MovieLens has no Family, Music or Noir genre of TMDb's kind:
# Children's is TMDb's Family, Musical its Music, Film-Noir both Crime and Mystery; IMAX is a
# format, not a genre, and "unknown" / "(no genres listed)" carry nothing.
GENRE_TO_TMDB: dict[str, tuple[int, ...]] = {
    "action": (28,),
    "adventure": (12,),
    "animation": (16,),
    "children's": (10751,),
    "children": (10751,),
    "comedy": (35,),
    "crime": (80,),
    "documentary": (99,),
    "drama": (18,),
    "fantasy": (14,),
    "film-noir": (80, 9648),
    "horror": (27,),
    "musical": (10402,),
    "mystery": (9648,),
    "romance": (10749,),
    "sci-fi": (878,),
    "thriller": (53,),
    "war": (10752,),
    "western": (37,),
}

# The 19 TMDb movie genres, so that an imported catalogue can name every id it uses.
TMDB_GENRES: dict[int, str] = {
    28: "Action",
    12: "Adventure",
    16: "Animation",
    35: "Comedy",
    80: "Crime",
    99: "Documentary",
    18: "Drama",
    10751: "Family",
    14: "Fantasy",
    36: "History",
    27: "Horror",
    10402: "Music",
    9648: "Mystery",
    10749: "Romance",
    878: "Science Fiction",
    10770: "TV Movie",
    53: "Thriller",
    10752: "War",
    37: "Western",
}

_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})(?:[-\u2013]\d{0,4})?\)\s*$")
# "Usual Suspects, The" -> "The Usual Suspects", also before an alternative title in brackets.
_ARTICLE = re.compile(
    r"^(?P<title>.+?), (?P<article>The|A|An|Les|La|Le|L'|Il|El|Das|Die|Der)"
    r"(?P<rest>\s*\(.*\))?$"
)


def split_title(raw: str) -> tuple[str, int | None]:
    """ "Toy Story (1995)" -> ("Toy Story", 1995); the trailing year is optional."""
    text = raw.strip()
    year = None
    match = _YEAR.match(text)
    if match:
        text, year = match["title"].strip(), int(match["year"])
    article = _ARTICLE.match(text)
    if article:
        separator = "" if article["article"].endswith("'") else " "
        text = f"{article['article']}{separator}{article['title']}{article['rest'] or ''}"
    return text, year


def tmdb_genres(names: list[str]) -> tuple[int, ...]:
    """TMDb ids for MovieLens genre names, in first-seen order, without duplicates."""
    ids: list[int] = []
    for name in names:
        for genre_id in GENRE_TO_TMDB.get(name.strip().lower(), ()):
            if genre_id not in ids:
                ids.append(genre_id)
    return tuple(ids)


def stars(rating: float) -> int:
    """MovieLens ratings to 1-5 stars: half stars round up (0.5 -> 1, 3.5 -> 4, 4.5 -> 5), so
    every positive rating keeps its rank against the whole stars below it; whole stars stay."""
    if not math.isfinite(rating) or rating <= 0 or rating > 5:
        raise ValueError(f"not a MovieLens rating: {rating}")
    return max(1, min(5, math.ceil(rating)))
