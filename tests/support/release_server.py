"""A stand-in for files.grouplens.org on 127.0.0.1: serves MovieLens zips built by the tests, with
Range requests, the `.md5` files GroupLens publishes, a record of every request, and on demand a
download that breaks off half-way."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def zip_folder(folder: Path, name: str) -> bytes:
    """A zip laid out like GroupLens': every file under a top-level `name/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{name}/{path.name}")
    return buffer.getvalue()


def md5_file(name: str, body: bytes) -> bytes:
    return f"MD5 ({name}) = {hashlib.md5(body).hexdigest()}\n".encode()


@dataclass
class ReleaseServer:
    files: dict[str, bytes] = field(default_factory=dict)  # path under /movielens/ -> body
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range)
    break_off_after: int | None = None  # the next full GET of a zip: this many bytes, hang up
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/movielens"

    def count(self, name: str) -> int:
        return sum(1 for path, _ in self.requests if path == f"/movielens/{name}")

    @contextmanager
    def running(self) -> Iterator[ReleaseServer]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def _handler(releases: ReleaseServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            wanted = self.headers.get("Range")
            releases.requests.append((self.path, wanted))
            body = releases.files.get(self.path.removeprefix("/movielens/"))
            if body is None:
                self._send(404, b"not found")
                return
            start = int(wanted.removeprefix("bytes=").split("-")[0]) if wanted else 0
            if start >= len(body) and wanted:
                self._send(416, b"", {"Content-Range": f"bytes */{len(body)}"})
                return
            status, headers = 200, {}
            if wanted:
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
            cut = releases.break_off_after
            if cut is not None and not wanted and self.path.endswith(".zip"):
                releases.break_off_after = None
                self._send(status, body, headers, send=body[:cut])
                self.close_connection = True
                return
            self._send(status, body[start:], headers)

        def _send(
            self,
            status: int,
            body: bytes,
            headers: dict[str, str] | None = None,
            send: bytes | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(body if send is None else send)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
