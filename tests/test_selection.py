"""The markers set at collection (`tests/selection.py`): what `-m "not slow"` and `make
test-fast` leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from tests.selection import TESTS, is_slow, needs


@dataclass
class CallSpec:
    params: dict[str, object]


@dataclass
class Item:
    fixturenames: list[str] = field(default_factory=list)
    callspec: CallSpec | None = None


def item(*fixtures: str, **params: object) -> pytest.Item:
    return cast(Any, Item(list(fixtures), CallSpec(params) if params else None))


@pytest.mark.parametrize(
    ("path", "slow"),
    [
        ("hostile/test_schemathesis.py", True),
        ("browser/test_swagger.py", True),
        ("faults/test_new_outage.py", True),
        ("cli/test_embedded.py", True),
        ("test_typescript_client.py", True),
        ("cli/test_cli.py", False),
        ("unit/web/test_failover_rate_limiter.py", False),
        ("test_selection.py", False),
    ],
)
def test_slow_by_directory_or_file(path: str, slow: bool) -> None:
    assert is_slow(TESTS / path) is slow


def test_what_a_test_needs_comes_from_its_fixtures() -> None:
    assert needs(item("app", "client", "database_factory")) == {"postgres"}
    assert needs(item("redis_prefix", "redis_url", "settings", "database_url_for_test")) == {
        "postgres",
        "redis",
    }
    assert needs(item("tmp_path")) == set()


def test_a_contract_suite_half_needs_its_server_and_the_fake_half_nothing() -> None:
    assert needs(item("database", "database_url_for_test", database="postgres")) == {"postgres"}
    assert needs(item("database", "database_url_for_test", database="fake")) == set()
    assert needs(item("cache", cache="redis")) == {"redis"}
    assert needs(item("cache", cache="memory")) == set()
    assert needs(item("port", port="http")) == set()
