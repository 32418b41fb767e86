"""The catch-all for errors nothing else handled, placed inside the request-id, security-header
and CORS middleware: a 500 carries the request id and every header like any other response, and
its logged traceback carries the same request id. (Starlette's own catch-all runs outside every
middleware, where none of that is known any more.)"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.errors import error_response
from app.web.sending import WatchedSend

log = logging.getLogger("app.web.errors")


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watched = WatchedSend(send)
        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if watched.started:
                raise  # too late for an error body: the server closes the connection
            await error_response(500, "Internal server error.")(scope, receive, send)
