"""The one progress bar: redrawn on a terminal, log lines otherwise, and the TMDb sync's pages
drawn on it."""

from __future__ import annotations

import io
import logging

import pytest

from app.cli.progress import ProgressBar
from app.cli.tmdb import Progress
from app.domain.tmdb.sync import SyncReport


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place_and_ended_when_done() -> None:
    terminal = Terminal()
    bar = ProgressBar(terminal)
    bar("ratings", 1, 2, "half")
    bar("ratings", 2, 2)
    drawn = terminal.getvalue()
    assert drawn.count("\r") == 2 and drawn.endswith("\n") and drawn.count("\n") == 1
    assert "[###############...............] 1/2" in drawn and " half" in drawn
    bar.close()  # already ended: nothing more
    assert terminal.getvalue() == drawn


def test_close_ends_a_bar_that_stopped_short() -> None:
    terminal = Terminal()
    bar = ProgressBar(terminal)
    bar("ratings", 1, 3)
    assert not terminal.getvalue().endswith("\n")
    bar.close()
    assert terminal.getvalue().endswith("\n")


def test_off_a_terminal_one_line_per_phase_or_per_step(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="nexus.cli")
    per_phase = ProgressBar(io.StringIO())
    for done in range(1, 4):
        per_phase("ratings", done, 3)
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "ratings: 1/3",
        "ratings: 3/3",
    ]
    caplog.clear()
    per_step = ProgressBar(io.StringIO(), every_step=True)
    for done in range(1, 4):
        per_step("pages", done, 3, f"page {done}")
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "pages: 1/3",
        "pages: 2/3",
        "pages: 3/3",
    ]
    assert caplog.records[1].getMessage().endswith(" page 2")


def test_the_sync_reports_each_page_on_the_bar() -> None:
    terminal = Terminal()
    progress = Progress(ProgressBar(terminal))
    report = SyncReport(pages_requested=2)
    report.failed_pages[2] = "TMDb timed out"
    progress(1, report)
    progress(2, report)
    progress.close()
    drawn = terminal.getvalue()
    assert "1/2" in drawn and "page 1 synced" in drawn
    assert "2/2" in drawn and "page 2 failed; 0 created, 0 updated, 1 failed" in drawn
    assert drawn.endswith("\n") and drawn.count("\n") == 1
