"""Sign-in, refresh rotation with reuse detection and grace, sign-out: against in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.bootstrap.use_cases import build_accounts
from app.domain.accounts.sessions import BAD_CREDENTIALS, DEFAULT_MAX_SESSION
from app.domain.accounts.use_cases import AccountUseCases
from app.domain.accounts.users import NewUser
from app.domain.shared.errors import NotAuthenticated
from tests.support.fakes import FakeDatabase, FakePasswordHasher

GRACE = timedelta(seconds=5)


class Clock:
    def __init__(self) -> None:
        # Real time: the codec stamps expiries from the real clock.
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def accounts(
    database: FakeDatabase,
    codec: JoseTokenCodec,
    hasher: FakePasswordHasher | None = None,
    clock: Clock | None = None,
    max_session: timedelta = DEFAULT_MAX_SESSION,
) -> AccountUseCases:
    """The account use cases as the composition root builds them, over the fakes."""
    return build_accounts(
        database,
        hasher or FakePasswordHasher(),
        codec,
        refresh_grace=GRACE,
        max_session=max_session,
        now=clock or (lambda: datetime.now(UTC)),
    )


@pytest.fixture
def codec() -> JoseTokenCodec:
    return JoseTokenCodec(
        algorithm="HS256",
        signing_key="k" * 40,
        verifying_key="k" * 40,
        issuer="nexus",
        access_lifetime=timedelta(minutes=15),
        refresh_lifetime=timedelta(days=7),
    )


async def add_user(database: FakeDatabase, password_hash: str | None, active: bool = True) -> int:
    async with database.unit_of_work() as uow:
        user = await uow.users.add(NewUser("alice", "alice@example.com", password_hash))
        await uow.commit()
    if not active:
        database.store.users[user.id] = replace(user, is_active=False)
    return user.id


async def test_sign_in_starts_a_family_and_rehashes_outdated_hashes(codec: JoseTokenCodec) -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher(cost=3)
    user_id = await add_user(database, "fake$2$s3cret-pass")
    pair = await accounts(database, codec, hasher).sign_in("ALICE@example.com", "s3cret-pass")
    assert codec.user_id_from_access(pair.access) == user_id
    assert pair.expires_in == 900
    assert codec.read_refresh(pair.refresh).user_id == user_id
    assert len(database.store.refresh_tokens) == 1
    assert database.store.users[user_id].password_hash == "fake$3$s3cret-pass"


@pytest.mark.parametrize("login", ["alice", "nobody"])
async def test_every_failed_sign_in_is_the_same(codec: JoseTokenCodec, login: str) -> None:
    database, hasher = FakeDatabase(), FakePasswordHasher()
    await add_user(database, "fake$2$right-password")
    with pytest.raises(NotAuthenticated) as failure:
        await accounts(database, codec, hasher).sign_in(login, "wrong-password")
    assert failure.value.message == BAD_CREDENTIALS
    # The unknown user still cost one verification (against the dummy hash).
    assert hasher.dummy_verifications == (1 if login == "nobody" else 0)
    assert database.store.refresh_tokens == {}


async def test_inactive_and_passwordless_accounts_cannot_sign_in(codec: JoseTokenCodec) -> None:
    for password_hash, active in (("fake$2$pw-pw-pw-pw", False), (None, True)):
        database = FakeDatabase()
        await add_user(database, password_hash, active=active)
        with pytest.raises(NotAuthenticated):
            await accounts(database, codec).sign_in("alice", "pw-pw-pw-pw")


async def signed_in(codec: JoseTokenCodec, clock: Clock) -> tuple[FakeDatabase, str]:
    database = FakeDatabase()
    await add_user(database, "fake$2$pw-pw-pw-pw")
    pair = await accounts(database, codec, clock=clock).sign_in("alice", "pw-pw-pw-pw")
    return database, pair.refresh


async def test_rotation_spends_the_token_and_reuse_revokes_the_family(
    codec: JoseTokenCodec,
) -> None:
    clock = Clock()
    database, first = await signed_in(codec, clock)
    refresh = accounts(database, codec, clock=clock).refresh_session
    second = (await refresh(first)).refresh
    third = (await refresh(second)).refresh
    assert len({first, second, third}) == 3

    clock.now += GRACE + timedelta(seconds=1)
    with pytest.raises(NotAuthenticated, match="already used"):
        await refresh(first)
    assert all(record.revoked_at == clock.now for record in database.store.refresh_tokens.values())
    with pytest.raises(NotAuthenticated, match="revoked"):
        await refresh(third)


async def test_within_the_grace_period_a_spent_token_buys_a_sibling(codec: JoseTokenCodec) -> None:
    clock = Clock()
    database, first = await signed_in(codec, clock)
    refresh = accounts(database, codec, clock=clock).refresh_session
    tab_one = await refresh(first)
    clock.now += GRACE / 2
    tab_two = await refresh(first)
    assert not any(record.revoked_at for record in database.store.refresh_tokens.values())
    await refresh(tab_one.refresh)
    await refresh(tab_two.refresh)


async def test_expired_unknown_and_inactive_refreshes_fail(codec: JoseTokenCodec) -> None:
    clock = Clock()
    database, token = await signed_in(codec, clock)
    refresh = accounts(database, codec, clock=clock).refresh_session
    unknown = codec.issue_refresh_token(1, "f" * 32).token  # well signed, never recorded
    with pytest.raises(NotAuthenticated, match="not recognised"):
        await refresh(unknown)

    started = clock.now
    clock.now += timedelta(days=8)
    with pytest.raises(NotAuthenticated, match="expired"):
        await refresh(token)

    clock.now = started
    database.store.users[1] = replace(database.store.users[1], is_active=False)
    with pytest.raises(NotAuthenticated, match="inactive"):
        await refresh(token)


async def test_sign_out_revokes_only_that_family(codec: JoseTokenCodec) -> None:
    clock = Clock()
    database, token = await signed_in(codec, clock)
    other = (await accounts(database, codec).sign_in("alice", "pw-pw-pw-pw")).refresh
    await accounts(database, codec, clock=clock).sign_out(token)
    await accounts(database, codec, clock=clock).sign_out(token)  # twice is fine
    with pytest.raises(NotAuthenticated):
        await accounts(database, codec, clock=clock).refresh_session(token)
    await accounts(database, codec, clock=clock).refresh_session(other)


async def test_a_session_ends_max_session_after_its_sign_in(codec: JoseTokenCodec) -> None:
    clock = Clock()
    database, token = await signed_in(codec, clock)
    refresh = accounts(database, codec, clock=clock, max_session=timedelta(days=2)).refresh_session
    clock.now += timedelta(days=1)
    token = (await refresh(token)).refresh  # each refresh is fresh, the sign-in is not
    clock.now += timedelta(days=1)
    with pytest.raises(NotAuthenticated, match="session has ended"):
        await refresh(token)


async def test_sign_in_refresh_and_sign_out_lock_the_users_sessions_first(
    codec: JoseTokenCodec,
) -> None:
    clock = Clock()
    database, token = await signed_in(codec, clock)
    user_id = codec.read_refresh(token).user_id
    assert database.session_locks == [user_id]  # the sign-in's
    database.session_locks.clear()
    token = (await accounts(database, codec, clock=clock).refresh_session(token)).refresh
    await accounts(database, codec, clock=clock).sign_out(token)
    assert database.session_locks == [user_id, user_id]


class ChangedWhileVerifying(FakePasswordHasher):
    """Stores `replacement` as the user's hash during the first verification, as a password
    change (or another sign-in's rehash) committing at that moment would."""

    def __init__(self, database: FakeDatabase, replacement: str) -> None:
        super().__init__()
        self._database, self._replacement = database, replacement

    async def verify(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        if self._replacement:
            user = self._database.store.users[1]
            self._database.store.users[1] = replace(user, password_hash=self._replacement)
            self._replacement = ""
        return await super().verify(password, password_hash)


async def test_a_password_changed_during_sign_in_fails_it(codec: JoseTokenCodec) -> None:
    database = FakeDatabase()
    await add_user(database, "fake$2$old-pass-word")
    hasher = ChangedWhileVerifying(database, "fake$2$new-pass-word")
    with pytest.raises(NotAuthenticated, match=BAD_CREDENTIALS):
        await accounts(database, codec, hasher).sign_in("alice", "old-pass-word")
    assert dict(database.store.refresh_tokens) == {}


async def test_a_rehash_during_sign_in_does_not_fail_it(codec: JoseTokenCodec) -> None:
    database = FakeDatabase()
    await add_user(database, "fake$1$pass-word-1")
    hasher = ChangedWhileVerifying(database, "fake$2$pass-word-1")
    await accounts(database, codec, hasher).sign_in("alice", "pass-word-1")
    assert len(database.store.refresh_tokens) == 1
    assert database.store.users[1].password_hash == "fake$2$pass-word-1"
