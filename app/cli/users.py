"""`nexus users promote USERNAME` and `nexus users demote USERNAME`: who may edit the catalogue;
`nexus users create USERNAME` (in `app.cli.user_create`).

Staff rights are granted from the operator's shell only, never through the API, so a stolen
account cannot promote itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import func, update

from app.adapters.postgres.tables import users
from app.bootstrap.settings import Settings
from app.cli import EXTRA_PARSERS, command, prepare_database
from app.cli.user_create import add_create_parser, create_user
from app.domain.accounts.usernames import canonical_username

ACTIONS = {"promote": True, "demote": False}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "users",
        help="create accounts, manage staff rights",
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


EXTRA_PARSERS.append(add_parsers)


async def set_staff(settings: Settings, username: str, is_staff: bool) -> str | None:
    """The user's exact username once the flag is set; None when no such user exists."""
    from app.bootstrap.batch import batch_database

    statement = (
        update(users)
        .where(users.c.username_canonical == canonical_username(username))
        .values(is_staff=is_staff, updated_at=func.now())
        .returning(users.c.username)
    )
    async with batch_database(settings) as database, database.unit_of_work() as uow:
        found: str | None = (await uow.connection.execute(statement)).scalar_one_or_none()
        await uow.commit()
    return found


@command("users")
def users_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "create":
        return create_user(args, settings)
    settings = prepare_database(settings, migrate=args.migrate)
    assert settings.database_url is not None
    is_staff = ACTIONS[args.action]
    username = asyncio.run(set_staff(settings, args.username, is_staff))
    if username is None:
        print(f"nexus: no user named {args.username!r}", file=sys.stderr)
        return 1
    print(f"{username} is {'now' if is_staff else 'no longer'} staff")
    return 0
