"""A user's statistics: the database answers a fixed handful of aggregate queries (`StatsFacts`)
and the pure functions here shape them, so the numbers are testable without I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from app.domain.accounts.users import User
from app.domain.shared.ports import Database

TOP_GENRES: Final = 5
LIKED_SCORE: Final = 4
MONTHS_SHOWN: Final = 12


@dataclass(frozen=True, slots=True)
class RatedMovie:
    movie_id: int
    title: str
    score: int


@dataclass(frozen=True, slots=True)
class GenreFacts:
    genre_id: int
    name: str
    ratings: int
    liked: int  # ratings of LIKED_SCORE or more
    average: float


@dataclass(frozen=True, slots=True)
class StatsFacts:
    total_ratings: int = 0
    average_rating: float | None = None
    distribution: tuple[tuple[int, int], ...] = ()  # (score, count)
    reviews: int = 0
    watch_minutes: int = 0
    compared_movies: int = 0  # rated movies that others rated too
    own_average_on_compared: float | None = None
    community_average_on_compared: float | None = None  # others' ratings of the same movies
    highest: RatedMovie | None = None
    lowest: RatedMovie | None = None
    genres: tuple[GenreFacts, ...] = ()
    decades: tuple[tuple[int, int], ...] = ()  # (decade, count)
    months: tuple[tuple[date, int], ...] = ()  # (first day of the month, count)
    playlists: int = 0


@dataclass(frozen=True, slots=True)
class CommunityComparison:
    movies_compared: int
    your_average: float
    community_average: float
    difference: float


@dataclass(frozen=True, slots=True)
class UserStats:
    total_ratings: int
    average_rating: float
    highest_rated: RatedMovie | None
    lowest_rated: RatedMovie | None
    favorite_genres: tuple[GenreFacts, ...]
    total_watch_time: int
    total_watch_time_hours: float
    score_distribution: dict[int, int]
    reviews_count: int
    genre_averages: tuple[GenreFacts, ...]
    community_comparison: CommunityComparison
    favorite_decade: int | None
    ratings_per_month: tuple[tuple[date, int], ...]
    playlists_count: int


def month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def favorite_genres(genres: tuple[GenreFacts, ...]) -> tuple[GenreFacts, ...]:
    """The top genres among movies the user liked (rated 4 or 5), most liked first."""
    liked = [genre for genre in genres if genre.liked > 0]
    return tuple(sorted(liked, key=lambda g: (-g.liked, g.name))[:TOP_GENRES])


def genre_averages(genres: tuple[GenreFacts, ...]) -> tuple[GenreFacts, ...]:
    """The user's most rated genres with their average stars."""
    return tuple(sorted(genres, key=lambda g: (-g.ratings, g.name))[:TOP_GENRES])


def favorite_decade(decades: tuple[tuple[int, int], ...]) -> int | None:
    """The decade with most ratings; a tie goes to the more recent decade."""
    if not decades:
        return None
    return max(decades, key=lambda item: (item[1], item[0]))[0]


def monthly_counts(
    months: tuple[tuple[date, int], ...], today: date
) -> tuple[tuple[date, int], ...]:
    """The last twelve months, oldest first, months without ratings included as zero."""
    counts = {month_start(month): count for month, count in months}
    window = [month_start(today, back) for back in range(MONTHS_SHOWN - 1, -1, -1)]
    return tuple((month, counts.get(month, 0)) for month in window)


def compare_with_community(facts: StatsFacts) -> CommunityComparison:
    own, community = facts.own_average_on_compared, facts.community_average_on_compared
    difference = 0.0 if own is None or community is None else own - community
    return CommunityComparison(
        movies_compared=facts.compared_movies,
        your_average=_round_or_zero(own),
        community_average=_round_or_zero(community),
        difference=_round_or_zero(difference),
    )


def build_stats(facts: StatsFacts, today: date) -> UserStats:
    distribution = {score: 0 for score in range(1, 6)}
    distribution.update(dict(facts.distribution))
    return UserStats(
        total_ratings=facts.total_ratings,
        average_rating=_round_or_zero(facts.average_rating),
        highest_rated=facts.highest,
        lowest_rated=facts.lowest,
        favorite_genres=favorite_genres(facts.genres),
        total_watch_time=facts.watch_minutes,
        total_watch_time_hours=round(facts.watch_minutes / 60, 1),
        score_distribution=distribution,
        reviews_count=facts.reviews,
        genre_averages=genre_averages(facts.genres),
        community_comparison=compare_with_community(facts),
        favorite_decade=favorite_decade(facts.decades),
        ratings_per_month=monthly_counts(facts.months, today),
        playlists_count=facts.playlists,
    )


class GetUserStats:
    """Computed from the ratings at request time (never cached), so never stale."""

    def __init__(
        self, database: Database, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._database, self._now = database, now

    async def __call__(self, user: User) -> UserStats:
        today = self._now().date()
        since = datetime.combine(month_start(today, MONTHS_SHOWN - 1), datetime.min.time(), UTC)
        async with self._database.unit_of_work() as uow:
            facts = await uow.stats.facts(user.id, since)
        return build_stats(facts, today)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _round_or_zero(value: float | None) -> float:
    """A statistic of an empty history is 0, as the original API answered; the count beside it
    (`total_ratings`, `movies_compared`) tells "nothing yet" from a real 0."""
    return 0.0 if value is None else round(value, 2)
