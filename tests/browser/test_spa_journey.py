"""A single-page app in headless Chromium, served from another origin than a live `nexus serve`,
through a user's whole journey: register, sign in, browse, search (with a typo), rate, create a
playlist and add the movie, open its share link in a second tab, recommendations, an access
token that expired (the app reads its `exp` and renews it before asking), refresh the token, sign
out. No console error, and every step's result shown on the page."""

from __future__ import annotations

import functools
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from jose import jwt

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.domain.catalogue.movies import MovieData
from tests.browser.test_swagger import CHROMIUM, CHROMIUM_FLAGS, needs_browser
from tests.conftest import TEST_JWT_SECRET
from tests.support.server_process import clean_env, free_port, serving

SPA = Path(__file__).with_name("spa")


def expired_access_token(valid: str) -> str:
    """The same user's access token, signed alike, that expired five minutes ago."""
    claims = jwt.get_unverified_claims(valid)
    issued = int(time.time()) - 20 * 60
    claims.update(iat=issued, nbf=issued, exp=issued + 15 * 60, jti=uuid.uuid4().hex)
    return str(jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256"))


PASSWORD = "Correct-Horse-Battery-Staple-42"
MOVIES = {"Interstellar": 90.0, "The Godfather": 80.0, "Amélie": 70.0, "Heat": 60.0}


@pytest.fixture
def spa_origin() -> Iterator[str]:
    """The SPA's own static server: another port, so another origin than the API's."""
    handler = functools.partial(_QuietHandler, directory=str(SPA))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
async def catalogue(database_url_for_test: str) -> AsyncIterator[str]:
    engine = create_engine(database_url_for_test, pool_size=1, max_overflow=0)
    try:
        async with PostgresDatabase(engine).unit_of_work() as uow:
            for title, popularity in MOVIES.items():
                await uow.movies.add(
                    MovieData(title=title, popularity=popularity, vote_average=8.0, vote_count=900)
                )
            await uow.commit()
    finally:
        await engine.dispose()
    yield database_url_for_test


@pytest.fixture
def api(catalogue: str, spa_origin: str, tmp_path: Path) -> Iterator[str]:
    needs_browser()
    env = clean_env(
        DATABASE_URL=catalogue,
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        JWT_SECRET=TEST_JWT_SECRET,
        NEXUS_ENV="test",
        CORS_ORIGINS=spa_origin,
        RATE_LIMIT_ENABLED="false",
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="1024",
        PASSWORD_HASH_PARALLELISM="1",
    )
    with serving(env, tmp_path, "--no-migrate") as base:
        yield base


async def test_the_whole_journey_from_another_origin(api: str, spa_origin: str) -> None:
    from playwright.async_api import ConsoleMessage, Page, async_playwright, expect

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    problems: list[str] = []

    def watch(page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                problems.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(str(error)))

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        try:
            context = await browser.new_context()
            context.set_default_timeout(10_000)
            page = await context.new_page()
            watch(page)
            await page.goto(f"{spa_origin}/index.html?api={quote(api, safe='')}")
            error = page.locator("#error")

            await page.fill("#username", "traveller")
            await page.fill("#email", "traveller@example.com")
            await page.fill("#password", PASSWORD)
            await page.click("#register")
            await expect(page.locator("#account")).to_have_text("Registered traveller")
            await page.click("#sign-in")
            await expect(page.locator("#account")).to_have_text("Signed in as traveller")

            await page.click("#browse")
            await expect(page.locator("#catalogue-count")).to_have_text(f"{len(MOVIES)} movies")
            await expect(page.locator("#catalogue li")).to_have_count(len(MOVIES))

            await page.fill("#search", "interstelar")  # a typo, forgiven
            await page.click("#search-button")
            results = page.locator("#results li")
            await expect(results).to_have_count(1)
            await expect(results.first).to_contain_text("Interstellar")
            await results.first.locator("button.rate").click()
            await expect(page.locator("#rating")).to_have_text("Rated Interstellar 5/5")

            await page.fill("#playlist-name", "Space")
            await page.click("#create-playlist")
            await expect(page.locator("#playlist")).to_have_text("Space: Interstellar")
            share = await page.locator("#share-link").get_attribute("href")
            assert share is not None and "#shared=" in share

            # The share link in a second tab, with no session of its own.
            second = await context.new_page()
            watch(second)
            await second.goto(spa_origin + share)
            await expect(second.locator("#shared")).to_have_text(
                "Shared by traveller: Space (Interstellar)"
            )
            await second.close()

            await page.click("#recommend")
            recommended = page.locator("#recommendations li")
            await expect(recommended.first).to_contain_text("% match")
            titles = [text.split(" (")[0] for text in await recommended.all_inner_texts()]
            assert titles and "Interstellar" not in titles  # rated already

            # The access token expires: the app sees it from `exp` and renews before asking.
            current = await page.evaluate("window.nexusSession.access")
            expired = expired_access_token(current)
            await page.evaluate("token => { window.nexusSession.access = token; }", expired)
            await page.locator("#recommendations").evaluate("list => list.replaceChildren()")
            await page.click("#recommend")
            await expect(recommended.first).to_contain_text("% match")
            await expect(page.locator("#session")).to_have_text("Access token renewed (expired)")
            assert await page.evaluate("window.nexusSession.renewals") == 1
            await expect(error).to_have_text("")

            old_refresh = await page.evaluate("window.nexusSession.refresh")
            await page.click("#refresh")
            await expect(page.locator("#session")).to_have_text(
                "Token refreshed (new access token) for traveller"
            )
            await page.click("#sign-out")
            await expect(page.locator("#session")).to_have_text("Signed out")
            revoked = await page.evaluate("window.nexusSession.revoked")
            await expect(error).to_have_text("")
        finally:
            await browser.close()

    assert problems == []
    # Signing out revoked the session: neither its rotated-out nor its last refresh token works.
    for token in (old_refresh, revoked):
        answer = httpx.post(f"{api}/api/auth/token/refresh/", json={"refresh": token}, timeout=10)
        assert answer.status_code == 401, answer.text
