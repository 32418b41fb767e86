"""The one progress bar for long commands: redrawn in place on a terminal, log lines otherwise
(so CI logs stay readable): one per phase, or one per step with `every_step`."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger("nexus.cli")
WIDTH = 30


class ProgressBar:
    def __init__(self, stream: TextIO = sys.stderr, *, every_step: bool = False) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.every_step = every_step
        self.started = time.perf_counter()
        self.phase: str | None = None
        self.line_open = False  # a bar drawn on the terminal and not yet ended by a newline

    def __call__(self, phase: str, done: int, total: int, detail: str = "") -> None:
        elapsed = time.perf_counter() - self.started
        suffix = f" {detail}" if detail else ""
        if self.tty:
            filled = min(WIDTH, int(WIDTH * done / total)) if total else WIDTH
            self.stream.write(
                f"\r{phase:<16} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                f"{done}/{total} {elapsed:5.1f}s{suffix}"
            )
            self.line_open = done < total
            if not self.line_open:
                self.stream.write("\n")
            self.stream.flush()
        elif self.every_step or done >= total or phase != self.phase:
            log.info("%s: %d/%d (%.1fs)%s", phase, done, total, elapsed, suffix)
        self.phase = phase

    def close(self) -> None:
        """End a bar that stopped short (a command that failed half-way) with its newline."""
        if self.line_open:
            self.stream.write("\n")
            self.stream.flush()
            self.line_open = False
