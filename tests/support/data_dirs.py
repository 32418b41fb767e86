"""A data dir for tests that start the embedded PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def fresh_data_dir() -> Iterator[Path]:
    """Outside pytest's own temporary root: as root, pgserver runs PostgreSQL as another user, who
    must be able to reach the data dir for as long as the server runs, and pytest sessions running
    side by side reset that root's permissions."""
    with tempfile.TemporaryDirectory(prefix="nexus-test-") as directory:
        yield Path(directory) / "data"
