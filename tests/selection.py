"""Markers that say what a test needs, set at collection so that new tests are marked too:

- `slow`: every test under the directories and files of SLOW (schemathesis, the browser, the
  embedded PostgreSQL, the TypeScript client, the fault suites): `pytest -m "not slow"`;
- `postgres`: every test that asks for a database, but the fake half of a contract suite (whose
  fixture names one for both halves: `tests/contract/conftest.py` gives that half none);
- `redis`: every test that asks for a Redis server, and the Redis half of each contract suite.

`make test-fast` runs what needs none of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SLOW = ("hostile", "browser", "faults", "cli/test_embedded.py", "test_typescript_client.py")
# fixture (or contract-suite half) -> the marker of what it needs
NEEDS = {
    "database_factory": "postgres",
    "database_url_for_test": "postgres",
    "postgres": "postgres",
    "redis_url": "redis",
    "redis": "redis",
}
# The in-memory halves of the contract suites, by their parameter.
FAKE_HALVES = frozenset({"memory", "fake"})


def is_slow(path: Path) -> bool:
    return any(path.resolve().is_relative_to(TESTS / slow) for slow in SLOW)


def halves(item: pytest.Item) -> set[str]:
    """The item's string parameters: a contract suite's half among them."""
    callspec = getattr(item, "callspec", None)
    return {str(value) for value in callspec.params.values()} if callspec else set()


def is_fake_half(item: pytest.Item) -> bool:
    return bool(halves(item) & FAKE_HALVES)


def needs(item: pytest.Item) -> set[str]:
    if is_fake_half(item):
        return set()
    names = set(getattr(item, "fixturenames", ())) | halves(item)
    return {marker for name, marker in NEEDS.items() if name in names}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item.path):
            item.add_marker(pytest.mark.slow)
        for marker in sorted(needs(item)):
            item.add_marker(getattr(pytest.mark, marker))
