"""A user's taste by genre, from every rating they gave (liked and disliked) and their profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NEUTRAL = 0.5
# A profile's favourite genres count as much as this many ratings, so they fade as ratings come.
PROFILE_WEIGHT_IN_RATINGS = 5.0
# Shrinks a genre's liking towards neutral until a few ratings back it.
LIKING_PRIOR_RATINGS = 2.0
# Watching a genre twice as often as the catalogue offers it is the strongest signal we count.
MAX_LIFT = 2.0
# How far from neutral liking and watching frequency can move a genre's taste.
LIKING_SPAN, LIFT_SPAN = 0.35, 0.15


@dataclass(frozen=True, slots=True)
class RatedMovie:
    movie_id: int
    title: str
    score: int  # 1..5
    genre_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GenreTaste:
    """Per genre, 0 (avoids it) .. 0.5 (no opinion) .. 1 (seeks it out and likes it)."""

    by_genre: Mapping[int, float]

    def of(self, genre_id: int) -> float:
        return self.by_genre.get(genre_id, NEUTRAL)

    def favourites(self, genre_ids: Iterable[int], threshold: float = 0.6) -> list[int]:
        """The given genres the user clearly likes, strongest first."""
        liked = [g for g in genre_ids if self.of(g) >= threshold]
        return sorted(liked, key=lambda g: (-self.of(g), g))


def genre_taste(
    rated: Iterable[RatedMovie],
    genre_share: Mapping[int, float],
    favorite_genres: Iterable[int] = (),
) -> GenreTaste:
    """Mostly how much the user likes a genre's movies when they watch them (score - 3,
    shrunk towards neutral), partly how much more or less often they watch it than the
    catalogue offers it (`genre_share`: the fraction of movies in each genre). Profile
    favourites weigh like `PROFILE_WEIGHT_IN_RATINGS` ratings, so they lead for new users only."""
    liking: dict[int, float] = {}
    watched: dict[int, int] = {}
    total = 0
    for movie in rated:
        total += 1
        for genre in movie.genre_ids:
            liking[genre] = liking.get(genre, 0.0) + (movie.score - 3) / 2
            watched[genre] = watched.get(genre, 0) + 1
    from_ratings: dict[int, float] = {}
    for genre, count in watched.items():
        likes = liking[genre] / (count + LIKING_PRIOR_RATINGS)  # in (-1, 1)
        share = genre_share.get(genre, 0.0)
        # -1 (never watched) .. 0 (as often as the catalogue offers it) .. 1 (MAX_LIFT times)
        lift = (min(MAX_LIFT, (count / total) / share) - 1) / (MAX_LIFT - 1) if share > 0 else 0.0
        from_ratings[genre] = _clamp(NEUTRAL + LIKING_SPAN * likes + LIFT_SPAN * lift)
    favourites = set(favorite_genres)
    profile_weight = PROFILE_WEIGHT_IN_RATINGS / (PROFILE_WEIGHT_IN_RATINGS + total)
    taste: dict[int, float] = {}
    for genre in favourites | from_ratings.keys():
        rated_taste = from_ratings.get(genre, NEUTRAL)
        profile = 1.0 if genre in favourites else NEUTRAL
        taste[genre] = _clamp(profile_weight * profile + (1 - profile_weight) * rated_taste)
    return GenreTaste(taste)


def genre_affinity(taste: GenreTaste, genre_ids: Iterable[int]) -> float:
    """The mean taste over the movie's genres; neutral for a movie without genres."""
    values = [taste.of(g) for g in genre_ids]
    return _clamp(sum(values) / len(values)) if values else NEUTRAL


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
