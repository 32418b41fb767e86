"""`nexus users create USERNAME [--staff] [--email EMAIL] [--password-stdin]`: a first (staff)
account with no SQL and no API call. The same rules as registration: username pattern, password
policy, unique username and email."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TextIO

from app.bootstrap.settings import Settings
from app.cli.failures import CommandError
from app.domain.shared.errors import DomainError


def add_create_parser(actions: argparse._SubParsersAction) -> None:
    create = actions.add_parser(
        "create",
        help="create an account (asks for its password)",
        description="Create an account; the password is asked for twice, or read from stdin.",
        epilog="example: printf '%%s\\n' \"$PW\" | nexus users create alice --staff "
        "--email alice@example.com --password-stdin",
    )
    create.add_argument("username")
    create.add_argument("--email", default=None, help="default: USERNAME@example.invalid")
    create.add_argument("--staff", action="store_true", help="may edit the catalogue")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line"
    )


def read_password(from_stdin: bool, stdin: TextIO = sys.stdin) -> str:
    if from_stdin:
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin: stdin held no password")
        return password
    if not stdin.isatty():
        raise CommandError("no terminal to ask for the password on: pipe it with --password-stdin")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != password:
        raise CommandError("the two passwords differ; nothing was created")
    return password


def check_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise CommandError(f"--email: {error}") from None


async def create_account(
    settings: Settings, username: str, email: str, password: str, staff: bool
) -> str:
    from app.bootstrap.batch import batch_database, build_password_hasher
    from app.cli.users import set_staff
    from app.domain.accounts.registration import RegisterUser, Registration

    async with batch_database(settings) as database:
        register = RegisterUser(database, build_password_hasher(settings))
        user = await register(Registration(username, email, password))
    if staff:
        await set_staff(settings, user.username, True)
    return user.username


def create_user(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli import prepare_database

    # The default is ours (like imported users'), in a domain reserved never to receive mail.
    email = check_email(args.email) if args.email else f"{args.username}@example.invalid"
    password = read_password(args.password_stdin)
    settings = prepare_database(settings, migrate=args.migrate)
    try:
        username = asyncio.run(create_account(settings, args.username, email, password, args.staff))
    except DomainError as error:
        messages = {str(detail.get("message", "")) for detail in error.details} - {
            error.message,
            "",
        }
        reasons = "; ".join(sorted(messages))
        raise CommandError(f"{error.message}{f' ({reasons})' if reasons else ''}") from None
    print(f"created {'staff ' if args.staff else ''}user {username} <{email}>")
    return 0
