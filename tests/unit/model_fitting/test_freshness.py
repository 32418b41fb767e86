"""When the served model is rebuilt."""

from __future__ import annotations

from app.model_fitting.freshness import RatingsSinceModel, rebuild_reason


def test_no_ratings_no_build() -> None:
    assert rebuild_reason(RatingsSinceModel(None, 0, 0), 0.01) is None


def test_the_first_model_is_built_even_with_refresh_off() -> None:
    assert rebuild_reason(RatingsSinceModel(None, 10, 10), None) == "no model yet"


def test_a_rebuild_needs_the_share_of_new_ratings() -> None:
    assert rebuild_reason(RatingsSinceModel(1000, 1009, 9), 0.01) is None
    assert rebuild_reason(RatingsSinceModel(1000, 1010, 10), 0.01) is not None


def test_refresh_off_never_rebuilds() -> None:
    assert rebuild_reason(RatingsSinceModel(1000, 5000, 4000), None) is None


def test_imported_ratings_with_old_dates_count_through_the_totals() -> None:
    assert rebuild_reason(RatingsSinceModel(1000, 1500, 0), 0.01) is not None


def test_min_change_zero_rebuilds_on_any_new_rating() -> None:
    assert rebuild_reason(RatingsSinceModel(1000, 1000, 0), 0.0) is None
    assert rebuild_reason(RatingsSinceModel(1000, 1000, 1), 0.0) is not None
