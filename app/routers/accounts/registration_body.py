"""The registration body, validated so that one 422 names every problem of the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.domain.accounts.use_cases import AccountUseCases
from app.routers.accounts.schemas import RegisterIn

REGISTER_BODY = {
    "required": True,
    "content": {"application/json": {"schema": RegisterIn.model_json_schema()}},
}


async def validate_registration(
    payload: Any, accounts: AccountUseCases, before_lookup: Callable[[], Awaitable[None]]
) -> RegisterIn:
    """The body validated; when it is invalid, the 422 also names the password rules it breaks
    and a taken username or email, so that a form shows every problem on the first submit."""
    try:
        return RegisterIn.model_validate(payload)
    except ValidationError as error:
        errors: list[dict[str, Any]] = [
            {**item, "loc": ("body", *item["loc"])} for item in error.errors()
        ]
    fields = payload if isinstance(payload, dict) else {}

    def text(name: str) -> str | None:
        value = fields.get(name)
        return value if isinstance(value, str) else None

    if text("username") is not None or text("email") is not None:
        await before_lookup()  # a lookup tells whether a name is taken: it spends the budget
    refused = frozenset(str(item["loc"][1]) for item in errors if len(item["loc"]) > 1)
    problems = await accounts.check_registration(
        username=text("username"),
        email=text("email"),
        password=text("password"),
        names=(text("first_name") or "", text("last_name") or ""),
        skip_fields=refused,
    )
    errors.extend(
        {"loc": ("body", problem["field"]), "msg": problem["message"], "type": kind}
        for kind, found in (("value_error", problems.invalid), ("unique", problems.taken))
        for problem in found
    )
    raise RequestValidationError(errors)
