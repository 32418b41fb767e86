"""The Redis side of the public response cache (app/web/public_cache.py): entries (final bytes
with the version tokens they were computed under), the tokens themselves, and a copy of each
entry in this process."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.adapters.redis.batched_reads import BatchedReads
from app.adapters.redis.batched_writes import BatchedWrites
from app.adapters.redis.pending_deletes import PendingDeletes
from app.adapters.redis.version_tokens import token_of
from app.domain.shared import cache_keys

log = logging.getLogger(__name__)

VERSIONS = {"catalogue": cache_keys.catalogue_version(), "social": cache_keys.social_version()}
# This process's copies, by what they hold in memory: a flood of distinct queries (each a miss
# stored once) must not hold a worker's memory; what is hot is stored again on its next miss.
MAX_LOCAL_BYTES = 4 * 1024 * 1024
DICT_SLOT_BYTES = 48  # a copy's share of the dict: its entry and index, with the table's slack
RETRY_AFTER_FAILURE = 1.0


@dataclass(slots=True)
class Entry:
    tokens: list[bytes]
    headers: list[tuple[bytes, bytes]]
    body: bytes
    expires: float

    def footprint(self, key: bytes) -> int:
        """The bytes this copy holds under `key`. An empty page's body is about 50 bytes; the
        key, the headers and the objects around them are ten times that, so counting bodies
        alone let a flood of small answers take ten times the bound."""
        return (
            DICT_SLOT_BYTES
            + sys.getsizeof(key)
            + sys.getsizeof(self)
            + sys.getsizeof(self.body)
            + sys.getsizeof(self.tokens)
            + sum(sys.getsizeof(token) for token in self.tokens)
            + sys.getsizeof(self.headers)
            + sum(sys.getsizeof(pair) + sum(map(sys.getsizeof, pair)) for pair in self.headers)
        )

    def encode(self) -> bytes:
        head = {
            "tokens": [token.decode() for token in self.tokens],
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in self.headers],
        }
        return json.dumps(head).encode() + b"\n" + self.body

    @classmethod
    def decode(cls, raw: bytes, expires: float) -> Entry:
        head, _, body = raw.partition(b"\n")
        fields = json.loads(head)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in fields["headers"]]
        return cls([t.encode() for t in fields["tokens"]], headers, body, expires)


class RedisResponseStore:
    """Entries and tokens in Redis, and this process's copies; kept on `app.state.public_cache`."""

    def __init__(
        self, redis: Redis, prefix: str, ttl_seconds: float, pending: PendingDeletes | None = None
    ) -> None:
        self.redis, self.prefix, self.ttl = redis, prefix, ttl_seconds
        # Version bumps Redis did not take, retried; answers depending on them are not served.
        self.pending = pending if pending is not None else PendingDeletes(redis)
        # Concurrent hits check their tokens in one round trip.
        self.reads = BatchedReads(redis)
        # Concurrent misses store their answers in one round trip.
        self.writes = BatchedWrites(redis)
        self.local: dict[bytes, Entry] = {}
        self._local_bytes = 0
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def failed(self, operation: str, error: Exception) -> None:
        if self.available:
            log.warning("public response cache %s failed, serving uncached: %s", operation, error)
        self._down_until = time.monotonic() + RETRY_AFTER_FAILURE

    async def tokens_and_entry(
        self, versions: list[str], entry_key: bytes | None
    ) -> tuple[list[bytes], bytes | None]:
        """The current tokens (new ones made for missing versions) and the stored entry."""
        keys = [self.prefix + v for v in versions]
        values: list[Any] = await self.reads.mget(*keys, *([entry_key] if entry_key else []))
        tokens = [
            await token_of(self.redis, key, found) for key, found in zip(keys, values, strict=False)
        ]
        return tokens, values[len(keys)] if entry_key else None

    def keep(self, key: bytes, entry: Entry) -> None:
        """This process's copy of an entry, within `MAX_LOCAL_BYTES` (all dropped past it)."""
        replaced = self.local.pop(key, None)
        if replaced is not None:
            self._local_bytes -= replaced.footprint(key)
        size = entry.footprint(key)
        if self._local_bytes + size > MAX_LOCAL_BYTES:
            self.local.clear()
            self._local_bytes = 0
        self.local[key] = entry
        self._local_bytes += size

    async def store(self, key: bytes, entry: Entry) -> None:
        self.keep(key, entry)
        await self.writes.set(key, entry.encode(), px=max(1, int(self.ttl * 1000)))

    async def bump(self, versions: set[str]) -> None:
        """Deletes the tokens of `versions` ("catalogue", "social"). A delete Redis does not
        take (down, or timing out) is retried until it is, and meanwhile this process serves
        nothing that depends on it (`waiting`)."""
        keys = [self.prefix + VERSIONS[v] for v in versions]
        if not self.available:
            self.pending.add(*keys)
        elif not await self.pending.delete(*keys):
            self.failed("bump", RedisError("version bump not taken"))

    def waiting(self, versions: list[str]) -> bool:
        return self.pending.waiting(*(self.prefix + v for v in versions))
