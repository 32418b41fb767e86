"""Limits on a request's head that a browser never reaches, for uvicorn served directly.

uvicorn's httptools protocol keeps any number of headers of any size (a 1 MiB header and
10,000 headers were both accepted), so a client can make every request cost memory and parsing
time. Browsers send a few dozen headers and a few KiB (cookies included); nginx's defaults stop
at 32 KiB, Apache's at 100 fields. Past `MAX_HEADER_BYTES` of request line and headers, or past
`MAX_HEADER_COUNT` fields, the connection gets a 431 and is closed.
"""

from __future__ import annotations

import json
import logging
import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.web.middleware import SECURITY_HEADERS
from app.web.request_ids import request_id_var

access_log = logging.getLogger("nexus.access")

MAX_HEADER_BYTES = 64 * 1024
MAX_HEADER_COUNT = 100


class _HeadTooLarge(Exception):
    pass


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits above (`nexus serve --http` uses it)."""

    _in_head = True
    _head_bytes = 0  # of the headers parsed so far
    _fed = 0  # bytes fed to the parser since the message began
    _refused = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_bytes, self._fed = True, 0, 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        if len(self.headers) >= MAX_HEADER_COUNT or self._head_bytes > MAX_HEADER_BYTES:
            # httptools turns this into a parser error, answered by `send_400_response`.
            self._refused = True
            raise _HeadTooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            self._fed += len(data)
        super().data_received(data)
        # A header still arriving: the parser holds it whole, so bound what it was fed.
        if self._in_head and self._fed > MAX_HEADER_BYTES and not self._refused:
            self._refused = True
            self.send_400_response("")

    def send_400_response(self, msg: str) -> None:
        if not self._refused:
            super().send_400_response(msg)
            return
        message = (
            f"The request's headers exceed {MAX_HEADER_COUNT} fields or "
            f"{MAX_HEADER_BYTES // 1024} KiB."
        )
        body = json.dumps(
            {"error": {"code": "headers_too_large", "message": message, "details": []}}
        ).encode()
        # Refused before the app saw the request: the id and the security headers the
        # middleware would have added are added here, and the access log names the same id.
        request_id = uuid.uuid4().hex
        extra = b"".join(name + b": " + value + b"\r\n" for name, value in SECURITY_HEADERS)
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"x-request-id: "
            + request_id.encode()
            + b"\r\n"
            + extra
            + b"connection: close\r\n\r\n"
            + body
        )
        self.transport.close()
        token = request_id_var.set(request_id)
        try:
            access_log.info("- - 431 (request head too large)", extra={"status": 431})
        finally:
            request_id_var.reset(token)
