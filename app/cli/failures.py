"""How a command fails: one line for the operator and an exit status, never a traceback."""

from __future__ import annotations


class CommandError(Exception):
    """A runtime failure the operator can act on; `nexus` prints it in one line and exits 1."""


class UsageError(Exception):
    """Arguments that do not go together; `nexus` prints it in one line and exits 2."""
