"""Run `nexus` the way a person does: stdout and stderr on a pseudo-terminal, so the command sees
a TTY and chooses its human output. Also the checks every such test makes on what it printed."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.server_process import NEXUS


@dataclass(frozen=True)
class TerminalRun:
    returncode: int
    output: str  # stdout and stderr together, as the person saw them

    @property
    def lines(self) -> list[str]:
        text = self.output.replace("\r\n", "\n")
        # A progress bar redraws one line with carriage returns: keep what was left standing.
        return [line.split("\r")[-1] for line in text.split("\n") if line.split("\r")[-1].strip()]


def run_in_terminal(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None, timeout: float = 120
) -> TerminalRun:
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [NEXUS, *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin.encode())
        process.stdin.close()
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's last writer closed it
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    try:
        returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return TerminalRun(returncode, b"".join(chunks).decode(errors="replace"))


def assert_human_output(run: TerminalRun) -> None:
    """No JSON log record and no traceback reached the person."""
    assert "Traceback" not in run.output, run.output
    for line in run.lines:
        stripped = line.strip()
        if stripped.startswith("{"):
            try:
                json.loads(stripped)
            except ValueError:
                continue
            raise AssertionError(f"a JSON line on a terminal: {line}\n{run.output}")


def converse(
    *args: str, env: dict[str, str], cwd: Path, replies: list[tuple[str, str]], timeout: float = 60
) -> TerminalRun:
    """Run `nexus` with a pseudo-terminal as its controlling terminal (what getpass reads from),
    answering each prompt in `replies` (prompt, answer) as it appears."""
    pid, controller = pty.fork()
    if pid == 0:  # the child: becomes nexus
        os.chdir(cwd)
        os.execve(NEXUS, [NEXUS, *args], env)
    output = b""
    pending = list(replies)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pending and pending[0][0].encode() in output.rsplit(b"\n", 1)[-1]:
            _, answer = pending.pop(0)
            output += b"\n"  # what is read after the answer belongs to the next line
            os.write(controller, answer.encode() + b"\n")
        if not select.select([controller], [], [], 0.2)[0]:
            continue
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    _, status = os.waitpid(pid, 0)
    return TerminalRun(os.waitstatus_to_exitcode(status), output.decode(errors="replace"))
