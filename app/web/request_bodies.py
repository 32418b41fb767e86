"""The configuration every request body model shares: strict types, so a JSON body says what it
means. `"score": "4"` and `"score": true` are refused (422), not read as 4 and 1, and a boolean
must be `true` or `false`. Fields whose JSON form is a string (dates) opt out with
`Field(strict=False)`. A form or multipart body, all strings by nature, is validated with
`Model.model_validate(fields, strict=False)`."""

from __future__ import annotations

from pydantic import ConfigDict

STRICT_BODY = ConfigDict(strict=True)
# Bodies that also refuse unknown fields rather than ignoring them.
STRICT_CLOSED_BODY = ConfigDict(strict=True, extra="forbid")
