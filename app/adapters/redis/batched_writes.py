"""`SET`s of concurrent requests joined into one pipelined round trip (`JoinedRoundTrips`).

Every public read the cache misses stores its answer; under load that is one command per
request. A store that finds another in flight goes in the next pipeline, and each caller
returns once its own value was written, or with the error its pipeline met.
"""

from __future__ import annotations

from redis.asyncio import Redis

from app.adapters.redis.joined_round_trips import JoinedRoundTrips

Write = tuple[bytes | str, bytes, int]  # key, value, expiry in ms


class BatchedWrites:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._joined = JoinedRoundTrips(self._write)

    async def set(self, key: bytes | str, value: bytes, px: int) -> None:
        """`SET key value PX px`, alone when nothing is in flight, else in the next pipeline."""
        await self._joined((key, value, px))

    async def _write(self, batch: list[Write]) -> None:
        if len(batch) == 1:
            key, value, px = batch[0]
            await self._redis.set(key, value, px=px)
            return
        pipeline = self._redis.pipeline(transaction=False)
        for key, value, px in batch:
            pipeline.set(key, value, px=px)
        await pipeline.execute()
