"""The catch-all for errors nothing else handled, placed inside the request-id, security-header
and CORS middleware: a 500 carries the request id and every header like any other response, and
its logged traceback carries the same request id. (Starlette's own catch-all runs outside every
middleware, where none of that is known any more.)"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.errors import error_response

log = logging.getLogger("app.web.errors")


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: MutableMapping[str, Any]) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if response_started:
                raise  # too late for an error body: the server closes the connection
            await error_response(500, "Internal server error.")(scope, receive, send)
