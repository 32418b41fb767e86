"""Registration, account changes and the password policy: against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.bootstrap.use_cases import build_accounts
from app.domain.accounts.passwords import common_passwords, password_problems
from app.domain.accounts.registration import AccountChanges, Registration
from app.domain.accounts.tokens import RefreshRecord
from app.domain.accounts.use_cases import AccountUseCases
from app.domain.shared.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from tests.support.fakes import FakeDatabase, FakePasswordHasher

GOOD = "blue-Heron-42"
CODEC = JoseTokenCodec(
    algorithm="HS256",
    signing_key="k" * 40,
    verifying_key="k" * 40,
    issuer="nexus",
    access_lifetime=timedelta(minutes=15),
    refresh_lifetime=timedelta(days=7),
)


def accounts(database: FakeDatabase, hasher: FakePasswordHasher) -> AccountUseCases:
    """The account use cases as the composition root builds them, over the fakes."""
    return build_accounts(database, hasher, CODEC, refresh_grace=timedelta(seconds=5))


def test_the_common_password_list_is_shipped_and_loaded_once() -> None:
    assert len(common_passwords()) >= 500
    assert common_passwords() is common_passwords()
    assert {"123456", "password", "qwerty", "iloveyou"} <= common_passwords()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "too short"),
        ("x" * 129, "too long"),
        ("12345678", "too common"),
        ("PassWord1", "too common"),
        ("Sunshine1!", "too common"),  # a common base with a small decoration
        ("aaaaaaaaaab", "too few"),
        ("alice.smith", "the username"),
        ("alice@example.com", "the email"),
    ],
)
def test_weak_passwords(password: str, problem: str) -> None:
    problems = password_problems(password, username="alice.smith", email="alice@example.com")
    assert any(problem in message for message in problems), problems


@pytest.mark.parametrize("password", [GOOD, "correct horse battery staple", "Tr0ub4dor&3x"])
def test_reasonable_passwords(password: str) -> None:
    assert password_problems(password, username="alice", email="alice@example.com") == []


async def test_register_hashes_and_refuses_duplicates() -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher()
    register = accounts(database, hasher).register
    user = await register(Registration("alice", " alice@example.com ", GOOD, "Alice"))
    assert user.password_hash == f"fake$2${GOOD}" and user.email == "alice@example.com"
    with pytest.raises(Conflict):
        await register(Registration("Alice", "other@example.com", GOOD))


@pytest.mark.parametrize(
    "registration",
    [
        Registration("al", "al@example.com", GOOD),
        Registration("has space", "x@example.com", GOOD),
        Registration("carol", "carol@example.com", "password123"),
    ],
)
async def test_register_refuses_bad_input_and_writes_nothing(registration: Registration) -> None:
    database = FakeDatabase()
    with pytest.raises(InvalidInput):
        await accounts(database, FakePasswordHasher()).register(registration)
    assert database.commits == 0 and database.store.users == {}


async def test_password_change_needs_the_current_one_and_revokes_every_family() -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher()
    user = await accounts(database, hasher).register(Registration("alice", "a@example.com", GOOD))
    expires = datetime.now(UTC) + timedelta(days=1)
    async with database.unit_of_work() as uow:
        for family in ("f1", "f2"):
            await uow.refresh_tokens.add(RefreshRecord(f"h-{family}", family, user.id, expires))
        await uow.commit()
    update = accounts(database, hasher).update_account

    for changes in (
        AccountChanges(new_password="green-Otter-77"),
        AccountChanges(new_password="qwerty123", current_password=GOOD),
    ):
        with pytest.raises(InvalidInput):
            await update(user.id, changes)
    with pytest.raises(PermissionDenied):
        await update(user.id, AccountChanges(new_password="green-Otter-77", current_password="x"))
    assert all(r.revoked_at is None for r in database.store.refresh_tokens.values())

    changed = await update(
        user.id, AccountChanges(new_password="green-Otter-77", current_password=GOOD)
    )
    assert changed.password_hash == "fake$2$green-Otter-77"
    assert database.session_locks == [user.id]
    assert all(r.revoked_at is not None for r in database.store.refresh_tokens.values())

    new_password = "green-Otter-77"
    with pytest.raises(InvalidInput):
        await update(user.id, AccountChanges(email="new@example.com"))
    with pytest.raises(PermissionDenied):
        await update(user.id, AccountChanges(email="new@example.com", current_password=GOOD))
    email_only = await update(
        user.id, AccountChanges(email="new@example.com", current_password=new_password)
    )
    assert email_only.email == "new@example.com"
    # The same email again changes nothing, so it needs no password.
    assert (
        await update(user.id, AccountChanges(email="new@example.com"))
    ).email == email_only.email
    with pytest.raises(NotAuthenticated):
        await update(999, AccountChanges(email="x@example.com"))


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("alice123", "built on your username"),
        ("abcdabcd", "Repeats like"),
        ("Summer2024!", "similar to a commonly used password"),
    ],
)
def test_guessable_passwords_are_refused_and_the_refusal_says_why(password: str, why: str) -> None:
    problems = password_problems(password, username="alice", email="a@example.com")
    assert len(problems) == 1 and "too easy to guess" in problems[0] and why in problems[0]


def test_the_estimator_knows_the_users_names() -> None:
    assert password_problems("Hatterliddell", username="al", email="a@x.org") == []
    problems = password_problems("Hatterliddell", username="al", email="a@x.org", names=["Liddell"])
    assert problems and "built on your username, email or name" in problems[0]


async def test_registration_refuses_a_look_alike_of_an_existing_name() -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher()
    register = accounts(database, hasher).register
    await register(Registration("victim", "victim@example.com", GOOD))
    with pytest.raises(Conflict):
        await register(Registration("\uff56ictim", "other@example.com", GOOD))
    with pytest.raises(InvalidInput):
        await register(Registration("\u1d20ictim", "third@example.com", GOOD))


async def test_registration_names_the_username_rules_and_the_guessable_password_together() -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher()
    register = accounts(database, hasher).register
    await register(Registration("victim", "victim@example.com", GOOD))
    with pytest.raises(InvalidInput) as refused:
        await register(Registration("admin", "Victim@Example.com", "Summer2024!"))
    found = {(d["field"], d["message"].split(".")[0]) for d in refused.value.details}
    assert found == {
        ("username", "This username is reserved"),
        ("email", "A user with that email already exists"),
        ("password", "This password is too easy to guess"),
    }
    with pytest.raises(InvalidInput) as mixed:  # a Cyrillic "i": one script only
        await register(Registration("v\u0456ctim", "new@example.com", "Summer2024!"))
    assert {d["field"] for d in mixed.value.details} == {"username", "password"}
    assert len(database.store.users) == 1
