"""Argon2id password hashes through passlib's `CryptContext` (the maintained `libpass` fork).

Hashing and verifying cost tens of milliseconds of CPU each, by design; they run in a worker
thread so that the event loop keeps serving other requests meanwhile (argon2-cffi releases the
GIL while it hashes).

Each one also takes `memory_kib` of working memory. The C allocator serves it from free space in
its heap when it has some (its size threshold for a mapping of its own only applies to growth),
and those pages then stay resident after the hash: 8 MiB a sign-up on the benchmark's settings,
64 MiB on the defaults. `release_memory` (glibc's `malloc_trim`, a fraction of a millisecond)
hands them back after each one.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Any

from passlib.context import CryptContext


class Argon2PasswordHasher:
    def __init__(
        self,
        *,
        time_cost: int,
        memory_kib: int,
        parallelism: int,
        release_memory: Callable[[], object] = lambda: None,
    ) -> None:
        self._context = CryptContext(
            schemes=["argon2"],
            argon2__type="ID",
            argon2__time_cost=time_cost,
            argon2__memory_cost=memory_kib,
            argon2__parallelism=parallelism,
        )
        self._release_memory = release_memory
        self._dummy_hash: str | None = None

    async def hash(self, password: str) -> str:
        return str(await asyncio.to_thread(self._then_release, self._context.hash, password))

    async def verify(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        if password_hash is None:
            # No account (or no password): spend the same time as a real check, then fail.
            dummy = await self._dummy()
            await asyncio.to_thread(self._then_release, self._context.verify, password, dummy)
            return False, None
        try:
            matches, new_hash = await asyncio.to_thread(
                self._then_release, self._context.verify_and_update, password, password_hash
            )
        except (ValueError, TypeError):
            return False, None  # a malformed or foreign hash never matches
        return bool(matches), new_hash

    def _then_release(self, work: Callable[..., Any], *args: str) -> Any:
        try:
            return work(*args)
        finally:
            self._release_memory()

    def needs_update(self, password_hash: str) -> bool:
        return bool(self._context.needs_update(password_hash))

    async def _dummy(self) -> str:
        # Made with the current parameters, so verifying it costs what a real verify costs.
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash
