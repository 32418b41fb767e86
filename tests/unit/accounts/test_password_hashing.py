"""Argon2id hashes hand their working memory back after each hash and verify, whatever the
outcome: the allocator would otherwise keep it resident."""

from __future__ import annotations

from app.adapters.security.passwords import Argon2PasswordHasher
from app.bootstrap.allocator import release_free_memory
from app.bootstrap.batch import build_password_hasher
from app.bootstrap.settings import Settings


async def test_every_hash_and_verify_hands_memory_back() -> None:
    released: list[None] = []
    hasher = Argon2PasswordHasher(
        time_cost=1, memory_kib=64, parallelism=1, release_memory=lambda: released.append(None)
    )
    stored = await hasher.hash("correct horse")
    assert len(released) == 1
    assert (await hasher.verify("correct horse", stored))[0] is True
    assert (await hasher.verify("wrong horse", stored))[0] is False
    assert await hasher.verify("correct horse", "not-a-hash") == (False, None)
    assert len(released) == 4
    # No account: the dummy hash is made once (a hash), then verified like a real one.
    assert await hasher.verify("anything", None) == (False, None)
    assert len(released) == 6


def test_the_services_hasher_uses_glibcs_trim() -> None:
    hasher = build_password_hasher(Settings(_env_file=None))  # type: ignore[call-arg]
    assert hasher._release_memory is release_free_memory
