"""The API explorers, served by the app itself: Swagger UI and ReDoc assets come from the
installed `fastapi-offline` package, the pages and the start-up script are ours. No CDN, no inline
script, so the explorers work offline and under the strict CSP of `app/web/middleware.py`."""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

VENDOR_ASSETS = Path(fastapi_offline.__file__).parent / "static"
OUR_ASSETS = Path(__file__).parent / "static"
ASSETS_URL = "/docs-static"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"


def _swagger_page(title: str, openapi_url: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - Swagger UI</title>
<link rel="icon" type="image/png" href="{ASSETS_URL}/favicon.png">
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
</head><body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"
     data-oauth2-redirect-url="{OAUTH2_REDIRECT_URL}"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_URL}/app/swagger-init.js"></script>
</body></html>"""


def _redoc_page(title: str, openapi_url: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} - ReDoc</title>
<link rel="icon" type="image/png" href="{ASSETS_URL}/favicon.png">
</head><body>
<redoc spec-url="{escape(openapi_url)}"></redoc>
<script src="{ASSETS_URL}/redoc.standalone.js"></script>
</body></html>"""


def install_docs(app: FastAPI) -> None:
    openapi_url = app.openapi_url or "/openapi.json"
    # Mounted in this order: our own files under /app take precedence over the vendor's.
    app.mount(f"{ASSETS_URL}/app", StaticFiles(directory=OUR_ASSETS), name="docs-own-assets")
    app.mount(ASSETS_URL, StaticFiles(directory=VENDOR_ASSETS), name="docs-assets")
    swagger = _swagger_page(app.title, openapi_url)
    redoc = _redoc_page(app.title, openapi_url)

    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger)

    async def redoc_ui() -> HTMLResponse:
        return HTMLResponse(redoc)

    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    for path in ("/swagger/", "/docs"):
        app.add_api_route(path, swagger_ui, include_in_schema=False, methods=["GET"])
    app.add_api_route("/redoc/", redoc_ui, include_in_schema=False, methods=["GET"])
    app.add_api_route(
        OAUTH2_REDIRECT_URL, oauth2_redirect, include_in_schema=False, methods=["GET"]
    )
