"""Page-number pagination over HTTP, as the original API had it:
`{count, next, previous, results}` with `page` and `page_size` (at most 100) in the query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from app.domain.shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest

Item = TypeVar("Item")
Out = TypeVar("Out")


class Paginated(BaseModel, Generic[Item]):
    count: int
    next: str | None
    previous: str | None
    results: list[Item]


async def page_request(
    # Bounded like ids, so that the schema states what the API accepts (a 64-bit offset).
    page: Annotated[int, Query(ge=1, le=2**63 - 1, description="Page number, from 1.")] = 1,
    page_size: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items a page, at most 100.")
    ] = DEFAULT_PAGE_SIZE,
) -> PageRequest:
    return PageRequest(page=page, page_size=page_size)


PageParams = Annotated[PageRequest, Depends(page_request)]


def _page_url(request: Request, number: int) -> str:
    return str(request.url.include_query_params(page=number))


def paginated(request: Request, page: Page[Any], to_schema: Callable[[Any], Out]) -> dict[str, Any]:
    """The envelope for `page`, its links keeping every other query parameter of the request."""
    results: Sequence[Out] = [to_schema(item) for item in page.items]
    number = page.request.page
    return {
        "count": page.count,
        "next": _page_url(request, number + 1) if page.has_next else None,
        "previous": _page_url(request, number - 1) if page.has_previous else None,
        "results": results,
    }
