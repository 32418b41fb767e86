"""Ratings and reviews: one per user and movie, public to read, written only by their author."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from app.domain.accounts.users import User
from app.domain.shared.errors import InvalidInput

MIN_SCORE: Final = 1
MAX_SCORE: Final = 5
MAX_REVIEW_LENGTH: Final = 1000
RATING_ORDERINGS: Final = ("created_at", "-created_at", "score", "-score")


@dataclass(frozen=True, slots=True)
class Rating:
    id: int
    user_id: int
    username: str
    movie_id: int
    movie_title: str
    score: int
    review: str | None
    created_at: datetime
    updated_at: datetime
    movie_poster_path: str | None = None


@dataclass(frozen=True, slots=True)
class NewRating:
    user_id: int
    movie_id: int
    score: int
    review: str | None


@dataclass(frozen=True, slots=True)
class RatingQuery:
    """Filters of the public list; `username` None means everyone's ratings."""

    movie_id: int | None = None
    score: int | None = None
    username: str | None = None
    ordering: str = "-created_at"

    def __post_init__(self) -> None:
        if self.ordering not in RATING_ORDERINGS:
            raise _invalid("ordering", f"must be one of {', '.join(RATING_ORDERINGS)}")
        if self.score is not None:
            checked_score(self.score, field="score")


def can_edit(rating: Rating, user: User | None) -> bool:
    """Only the author changes or deletes a rating; staff moderate nothing here by design."""
    return user is not None and rating.user_id == user.id


def checked_score(score: int, *, field: str = "score") -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        raise _invalid(field, "must be an integer")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise _invalid(field, f"must be between {MIN_SCORE} and {MAX_SCORE}")
    return score


def cleaned_review(review: str | None) -> str | None:
    """Reviews are stripped; a blank review is no review."""
    if review is None:
        return None
    review = review.strip()
    if len(review) > MAX_REVIEW_LENGTH:
        raise _invalid("review", f"must be at most {MAX_REVIEW_LENGTH} characters")
    return review or None


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid {field}: {message}.", details=[{"field": field, "message": message}]
    )
