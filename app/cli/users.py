"""`nexus users promote|demote USERNAME`: who may edit the catalogue; `nexus users
deactivate|activate USERNAME`: who may use the API at all; `nexus users create USERNAME` (in
`app.cli.user_create`).

Staff rights are granted from the operator's shell only, never through the API, so a stolen
account cannot promote itself. Each change bumps the user's version in Redis, so every replica
reads the account again on its next request: it takes effect at once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from app.bootstrap.settings import Settings
from app.cli import EXTRA_PARSERS, command, prepare_database
from app.cli.user_create import add_create_parser, create_user

ACTIONS = {
    "promote": ("is_staff", True),
    "demote": ("is_staff", False),
    "deactivate": ("is_active", False),
    "activate": ("is_active", True),
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "users",
        help="create accounts, manage staff rights, deactivate accounts",
        epilog="example: nexus users create alice --staff",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    add_create_parser(actions)
    actions.add_parser(
        "promote", help="make a user staff", epilog="example: nexus users promote alice"
    ).add_argument("username")
    actions.add_parser(
        "demote", help="take staff rights away", epilog="example: nexus users demote alice"
    ).add_argument("username")
    actions.add_parser(
        "deactivate", help="refuse the user's tokens", epilog="example: nexus users deactivate bob"
    ).add_argument("username")
    actions.add_parser(
        "activate",
        help="let a deactivated user in again",
        epilog="example: nexus users activate bob",
    ).add_argument("username")


EXTRA_PARSERS.append(add_parsers)


async def set_staff(settings: Settings, username: str, is_staff: bool) -> str | None:
    """The user's exact username once the flag is set; None when no such user exists."""
    changed = await set_flag(settings, username, "is_staff", is_staff)
    return changed[1] if changed else None


async def set_flag(
    settings: Settings, username: str, flag: str, value: bool
) -> tuple[int, str] | None:
    """(id, exact username) once `flag` is set; None when no such user exists."""
    # Imported here: every command's parser is built at start, `nexus serve`'s too.
    from sqlalchemy import func, update

    from app.adapters.postgres.tables import users
    from app.bootstrap.batch import batch_database
    from app.domain.accounts.usernames import canonical_username

    statement = (
        update(users)
        .where(users.c.username_canonical == canonical_username(username))
        .values({flag: value, "updated_at": func.now()})
        .returning(users.c.id, users.c.username)
    )
    async with batch_database(settings) as database, database.unit_of_work() as uow:
        row = (await uow.connection.execute(statement)).one_or_none()
        await uow.commit()
    return (int(row.id), str(row.username)) if row else None


async def bump_user_version(settings: Settings, user_id: int) -> None:
    """The running service reads the account again on its next request (every replica)."""
    from app.bootstrap.batch import batch_cache
    from app.domain.shared import cache_keys

    async with batch_cache(settings) as cache:
        if cache is not None:
            await cache.delete(cache_keys.user_version(user_id))


async def change_user(settings: Settings, username: str, flag: str, value: bool) -> str | None:
    changed = await set_flag(settings, username, flag, value)
    if changed is None:
        return None
    await bump_user_version(settings, changed[0])
    return changed[1]


@command("users")
def users_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "create":
        return create_user(args, settings)
    settings = prepare_database(settings, migrate=args.migrate)
    flag, value = ACTIONS[args.action]
    username = asyncio.run(change_user(settings, args.username, flag, value))
    if username is None:
        print(f"nexus: no user named {args.username!r}", file=sys.stderr)
        return 1
    if flag == "is_staff":
        print(f"{username} is {'now' if value else 'no longer'} staff")
    else:
        print(f"{username} is {'active again' if value else 'deactivated'}")
    return 0
