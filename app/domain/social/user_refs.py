"""A user named in a filter (`?user=`, `?owner=`) by username or, as the original API's clients
do, by id. A username wins: `?user=1999` means the user named "1999" if there is one, else the
user with id 1999."""

from __future__ import annotations

from app.domain.accounts.usernames import canonical_username
from app.domain.shared.ports import UnitOfWork

# Ids are positive 64-bit integers; a longer run of digits can only be a username.
MAX_ID_DIGITS = 18


async def username_of(uow: UnitOfWork, reference: str) -> str:
    """The username the reference stands for; the reference itself when no user has that id."""
    value = reference.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS):
        return reference
    named = await uow.users.get_by_login(value)
    if named is not None and canonical_username(named.username) == canonical_username(value):
        return reference
    by_id = await uow.users.get(int(value))
    return by_id.username if by_id is not None else reference
