"""Genres in request bodies: ids or names (`28`, `"Action"`, `"sci-fi"`), resolved to ids
before the use case runs."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from app.domain.catalogue.use_cases import CatalogueUseCases
from app.domain.shared.errors import InvalidInput
from app.web.request_bodies import INTEGRAL_FLOAT_AS_INT


def _a_name(value: str) -> str:
    # A strict JSON body sends an id as a number: "18" is neither a name nor, here, an id.
    if value.strip().isdigit():
        raise ValueError("a genre id is a JSON number, not a string")
    return value


GenreRefIn = Annotated[
    Annotated[int, Field(ge=1, le=2**31 - 1), INTEGRAL_FLOAT_AS_INT]
    | Annotated[
        str, Field(min_length=1, max_length=50, pattern=r"^[^\x00]*$"), AfterValidator(_a_name)
    ],
    Field(description="A genre's id, or its name (case-insensitive; aliases such as `Sci-Fi`)."),
]


async def with_genre_ids(catalogue: CatalogueUseCases, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with `genres` (the original API's name) folded into `genre_ids`, both taking
    ids or names, and the names resolved to ids."""
    values = dict(values)
    names = values.pop("genres", None)
    if names is not None:
        if values.get("genre_ids") is not None:
            message = "send `genres` or `genre_ids`, not both"
            raise InvalidInput(message, details=[{"field": "genres", "message": message}])
        values["genre_ids"] = names
    field = "genres" if names is not None else "genre_ids"
    if values.get("genre_ids") is not None:
        values["genre_ids"] = await catalogue.resolve_genres(values["genre_ids"], field)
    return values
