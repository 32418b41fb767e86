"""Adapters: what plugs into the domain's ports (PostgreSQL, Redis, TMDb, in-process stand-ins)."""
