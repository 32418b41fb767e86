"""Fakes of the profile and statistics repositories, computed from the fake's tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from statistics import fmean

from app.domain.accounts.usernames import canonical_username
from app.domain.accounts.users import User
from app.domain.shared.pagination import Page, PageRequest
from app.domain.social.profiles import ProfileChanges, PublicProfile
from app.domain.social.ratings import Rating
from app.domain.social.stats import LIKED_SCORE, GenreFacts, RatedMovie, StatsFacts
from tests.support.fakes.store import FakeStore, now


class FakeProfileRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    async def locked_user(self, user_id: int) -> User:
        return self._store.users[user_id]

    async def unknown_genres(self, genre_ids: tuple[int, ...]) -> list[int]:
        return [genre_id for genre_id in genre_ids if genre_id not in self._store.genres]

    async def update(self, user_id: int, changes: ProfileChanges) -> User:
        user = replace(
            self._store.users[user_id],
            favorite_genres=changes.favorite_genres,
            bio=changes.bio,
            avatar_url=changes.avatar_url,
            updated_at=now(),
        )
        self._store.users[user_id] = user
        return user

    async def public_profile(self, username: str) -> PublicProfile | None:
        found = [
            u
            for u in self._store.users.values()
            if canonical_username(u.username) == canonical_username(username) and u.is_active
        ]
        return self._profile(found[0]) if found else None

    async def list_public(self, page: PageRequest) -> Page[PublicProfile]:
        active = sorted(
            (u for u in self._store.users.values() if u.is_active),
            key=lambda u: (canonical_username(u.username), u.id),
        )
        chosen = active[page.offset : page.offset + page.page_size]
        return Page([self._profile(user) for user in chosen], len(active), page)

    def _profile(self, user: User) -> PublicProfile:
        rated = [r for r in self._store.ratings.values() if r.user_id == user.id]
        public = [
            p
            for p in self._store.playlists.values()
            if p.owner_id == user.id and p.visibility == "public"
        ]
        assert user.date_joined is not None
        return PublicProfile(
            user_id=user.id,
            username=user.username,
            date_joined=user.date_joined,
            ratings_count=len(rated),
            reviews_count=sum(1 for r in rated if r.review),
            public_playlists_count=len(public),
        )


class FakeStatsRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    async def facts(self, user_id: int, months_since: datetime) -> StatsFacts:
        rated = [r for r in self._store.ratings.values() if r.user_id == user_id]
        movies = self._store.movies
        compared = [r for r in rated if movies[r.movie_id].ratings_count > 1]
        others_sum = sum(self._store.ratings_sums.get(r.movie_id, 0) - r.score for r in compared)
        others_count = sum(movies[r.movie_id].ratings_count - 1 for r in compared)
        return StatsFacts(
            total_ratings=len(rated),
            average_rating=fmean(r.score for r in rated) if rated else None,
            distribution=tuple(
                (score, sum(1 for r in rated if r.score == score)) for score in range(1, 6)
            ),
            reviews=sum(1 for r in rated if r.review),
            watch_minutes=sum(movies[r.movie_id].runtime or 0 for r in rated),
            compared_movies=len(compared),
            own_average_on_compared=fmean(r.score for r in compared) if compared else None,
            community_average_on_compared=others_sum / others_count if others_count else None,
            highest=_extreme(rated, highest=True),
            lowest=_extreme(rated, highest=False),
            genres=self._genres(rated),
            decades=self._decades(rated),
            months=_months(rated, months_since),
            playlists=sum(1 for p in self._store.playlists.values() if p.owner_id == user_id),
        )

    def _genres(self, rated: list[Rating]) -> tuple[GenreFacts, ...]:
        scores: dict[int, list[int]] = {}
        for rating in rated:
            for genre_id in self._store.movies[rating.movie_id].genre_ids:
                if genre_id in self._store.genres:
                    scores.setdefault(genre_id, []).append(rating.score)
        return tuple(
            GenreFacts(
                genre_id,
                self._store.genres[genre_id].name,
                ratings=len(given),
                liked=sum(1 for score in given if score >= LIKED_SCORE),
                average=fmean(given),
            )
            for genre_id, given in scores.items()
        )

    def _decades(self, rated: list[Rating]) -> tuple[tuple[int, int], ...]:
        counts: dict[int, int] = {}
        for rating in rated:
            released = self._store.movies[rating.movie_id].release_date
            if released is not None:
                decade = released.year // 10 * 10
                counts[decade] = counts.get(decade, 0) + 1
        return tuple(counts.items())


def _extreme(rated: list[Rating], *, highest: bool) -> RatedMovie | None:
    if not rated:
        return None
    # The highest (or lowest) score; among equals the latest rating.
    best = max(rated, key=lambda r: (r.score if highest else -r.score, r.created_at, r.id))
    return RatedMovie(best.movie_id, best.movie_title, best.score)


def _months(rated: list[Rating], since: datetime) -> tuple[tuple[date, int], ...]:
    counts: dict[date, int] = {}
    for rating in rated:
        if rating.created_at >= since:
            month = rating.created_at.date().replace(day=1)
            counts[month] = counts.get(month, 0) + 1
    return tuple(counts.items())
