"""The configuration every request body model shares: strict types, so a JSON body says what it
means. `"score": "4"` and `"score": true` are refused (422), not read as 4 and 1, and a boolean
must be `true` or `false`. Integer fields are `JsonInt` (or end their `Annotated` with
`INTEGRAL_FLOAT_AS_INT`): JSON Schema counts `4.0` as an integer, so it is one here too (`4.5`
is not). Fields whose JSON form is a string (dates) opt out with
`Field(strict=False)`. A form or multipart body, all strings by nature, is validated with
`Model.model_validate(fields, strict=False)`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict


def _integral_float_as_int(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# After any `Field` constraints inside one `Annotated`: placed before them, pydantic writes
# `ge`/`le` instead of `minimum`/`maximum` into the JSON Schema.
INTEGRAL_FLOAT_AS_INT = BeforeValidator(_integral_float_as_int)
JsonInt = Annotated[int, INTEGRAL_FLOAT_AS_INT]

STRICT_BODY = ConfigDict(strict=True)
# Bodies that also refuse unknown fields rather than ignoring them.
STRICT_CLOSED_BODY = ConfigDict(strict=True, extra="forbid")
