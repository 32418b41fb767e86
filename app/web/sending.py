"""Wrappers around an ASGI `send` that middleware use to watch the response they pass on."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.types import Send


class WatchedSend:
    """Passes every message on and notes whether the response has started: once it has, no
    error body can be sent any more."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


class RecordedSend:
    """Passes every message on and keeps a copy of the response: status, headers and body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self._chunks: list[bytes] = []

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    async def __call__(self, message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            # Copied now: outer middleware add their own headers to this very message.
            self.status = message["status"]
            self.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))
        await self._send(message)
