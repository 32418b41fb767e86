"""A progress bar for long commands: redrawn in place on a terminal, a log line per phase
otherwise (so CI logs stay readable)."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger("nexus.cli")
WIDTH = 30


class ProgressBar:
    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.perf_counter()
        self.phase: str | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        if self.tty:
            filled = int(WIDTH * done / total) if total else WIDTH
            self.stream.write(
                f"\r{phase:<16} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                f"{done}/{total} {elapsed:5.1f}s"
            )
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        elif done >= total or phase != self.phase:
            log.info("%s: %d/%d (%.1fs)", phase, done, total, elapsed)
        self.phase = phase
