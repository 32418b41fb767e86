"""Logs: one JSON object a line (each with the request id of the request it served) when asked or
when a server's output goes to a collector; short human lines on a terminal."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from app.web.request_ids import request_id_var


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for key in ("method", "path", "status", "duration_ms", "client"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.request_id = request_id_var.get()
        return super().format(record)


class PlainFormatter(logging.Formatter):
    """A command's own words on a terminal: the message alone, warnings and errors marked."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = f"nexus: {record.levelname.lower()}: {message}"
        if record.exc_info and logging.getLogger().isEnabledFor(logging.DEBUG):
            message = f"{message}\n{self.formatException(record.exc_info)}"
        return message


# Loggers whose INFO records speak to the operator; every other library's logger (pgserver,
# alembic, httpx, asyncio...) shows warnings only, unless LOG_LEVEL=DEBUG.
OWN_LOGGERS = ("app", "nexus")


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """fmt: `json`, `text` (timestamped lines for a server on a terminal) or `plain` (commands)."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    elif fmt == "plain":
        handler.setFormatter(PlainFormatter())
    else:
        handler.setFormatter(
            TextFormatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    level = level.upper()
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if level == "DEBUG" else max(logging.WARNING, _number(level)))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    # uvicorn's access log is replaced by ours, which carries the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
        logging.getLogger(name).setLevel(logging.NOTSET)


def _number(level: str) -> int:
    number = logging.getLevelName(level)
    return number if isinstance(number, int) else logging.INFO
