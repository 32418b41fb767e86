"""A signed-in user's recommendation list asked again, answered before routing.

The route keeps the rendered list (`app.web.rendered_lists`), yet a hit there still paid for
routing and FastAPI's dependency solving, which cost more than the rest of the request together.
Here the same answer is kept under (user, taste version, model version, query string as sent)
and served as soon as the user is known: the token is checked and the account looked up exactly
as the route does (`Authenticate`: the account state checked in Redis on every request, so a
deactivation, a demotion or the user's own rating takes effect at once). Anything else (no
token, a token the route would refuse, a first request, an error) goes to the route, and only a
200 computed there is kept, under the versions read before it was computed. What no key names
(a movie edited by staff) shows within the rendered lists' TTL, as on the route.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from app.domain.shared.errors import NotAuthenticated
from app.web.rendered_lists import RenderedLists
from app.web.sending import RecordedSend

PATH = "/api/movies/recommendations/"


class SignedInListMiddleware:
    def __init__(self, app: ASGIApp, rendered: RenderedLists) -> None:
        self.app, self.rendered = app, rendered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        runtime = getattr(scope["app"].state, "runtime", None)
        token = _bearer_token(scope)
        if runtime is None or token is None:
            await self.app(scope, receive, send)
            return
        try:
            user = await runtime.accounts.authenticate(token)
        except NotAuthenticated:  # the route answers it, with its challenge
            await self.app(scope, receive, send)
            return
        versions = await runtime.recommendations.recommend.version_of(user)
        key = ("as sent", *versions, scope["query_string"])
        kept: tuple[bytes, list[tuple[bytes, bytes]], Any] | None = self.rendered.get(key)
        if kept is not None:
            body, headers, route = kept
            scope["route"] = route  # the metrics label the route as if it had run
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        recorded = RecordedSend(send)
        await self.app(scope, receive, recorded)
        if recorded.status == 200:
            self.rendered.put(key, (recorded.body, recorded.headers, scope.get("route")))


def _bearer_token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None
