"""Page-number pagination shared by every list: a request for one page, and the page found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.domain.shared.errors import InvalidInput, NotFound

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_OFFSET = 2**62  # past any data; keeps OFFSET inside PostgreSQL's bigint


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Page numbers start at 1; the size is capped so no list is unbounded."""

    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self) -> None:
        if self.page < 1:
            raise InvalidInput(
                "Page must be 1 or more.", details=[{"field": "page", "message": "must be >= 1"}]
            )
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(
                f"Page size must be between 1 and {MAX_PAGE_SIZE}.",
                details=[{"field": "page_size", "message": f"must be 1..{MAX_PAGE_SIZE}"}],
            )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size

    @property
    def beyond_any_data(self) -> bool:
        """So far out that no query is needed (nor possible: OFFSET is a bigint)."""
        return self.offset > MAX_OFFSET


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    count: int  # matches over all pages
    request: PageRequest

    @property
    def has_next(self) -> bool:
        return self.request.offset + len(self.items) < self.count

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1


def past_the_end() -> NotFound:
    return NotFound(
        "Invalid page: past the last page.",
        details=[{"field": "page", "message": "past the last page"}],
    )


def within_range(page: Page[T]) -> Page[T]:
    """Page 1 may be empty; a later page past the last one is a 404, as the original API had it."""
    if page.request.page > 1 and not page.items:
        raise past_the_end()
    return page
