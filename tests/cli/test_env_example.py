""".env.example stays true: every setting, with its real default and a line of meaning."""

from __future__ import annotations

import re
from pathlib import Path

from app.bootstrap.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
LINE = re.compile(r"^# (?P<name>[A-Z][A-Z0-9_]*)=(?P<default>\S*)\s+# (?P<meaning>\S.*)$")


def shown(value: object) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_every_setting_is_listed_with_its_default_and_meaning() -> None:
    listed = {}
    for line in EXAMPLE.read_text().splitlines():
        match = LINE.match(line)
        if match:
            listed[match["name"]] = match["default"]
    # The declared defaults, not this machine's environment.
    expected = {
        name.upper(): shown(field.get_default(call_default_factory=True))
        for name, field in Settings.model_fields.items()
    }
    assert listed == expected
