"""The ports a running Nexus has, wired from settings by `app.bootstrap` and handed to the routers.
Tests build it from in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.ports import AccessTokens, Cache, Database


@dataclass(slots=True)
class Services:
    database: Database
    cache: Cache
    tokens: AccessTokens
