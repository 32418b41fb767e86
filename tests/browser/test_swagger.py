"""The API explorers in a real browser: Debian's Chromium driven by Playwright (never a
downloaded browser) loads /swagger/ and /redoc/ from `nexus serve`. The operations render, the
strict CSP is not violated, and "Try it out" with a real token answers 200."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_JWT_SECRET
from tests.support.server_process import clean_env, serving
from tests.support.services import IN_CI

CHROMIUM = Path(os.environ.get("NEXUS_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Correct-Horse-Battery-Staple-42"
TRY_IT_OUT = ["/api/movies/", "/api/movies/recommendations/"]
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def needs_browser() -> None:
    reasons = []
    if not CHROMIUM.exists():
        reasons.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        reasons.append("the playwright package is not installed")
    if reasons:
        if IN_CI:
            pytest.fail("CI=true but " + "; ".join(reasons))
        pytest.skip("; ".join(reasons))


@pytest.fixture
def server(database_url_for_test: str, tmp_path: Path) -> Iterator[str]:
    needs_browser()
    env = clean_env(
        DATABASE_URL=database_url_for_test,
        NEXUS_DATA_DIR=str(tmp_path / "data"),
        JWT_SECRET=TEST_JWT_SECRET,
        NEXUS_ENV="test",
        RATE_LIMIT_ENABLED="false",
        PASSWORD_HASH_TIME_COST="1",
        PASSWORD_HASH_MEMORY_KIB="1024",
        PASSWORD_HASH_PARALLELISM="1",
    )
    with serving(env, tmp_path, "--no-migrate") as base:
        yield base


def access_token(base: str) -> str | None:
    """A real token from the real endpoints, when the auth endpoints exist yet."""
    registered = httpx.post(
        f"{base}/api/auth/register/",
        json={
            "username": "explorer",
            "email": "explorer@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
        timeout=30,
    )
    if registered.status_code == 404:
        return None
    assert registered.status_code == 201, registered.text
    tokens = httpx.post(
        f"{base}/api/auth/token/",
        json={"username": "explorer", "password": PASSWORD},
        timeout=30,
    )
    assert tokens.status_code == 200, tokens.text
    return str(tokens.json()["access"])


async def test_the_explorers_render_and_try_it_out_answers(server: str) -> None:
    from playwright.async_api import async_playwright

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    paths = httpx.get(f"{server}/openapi.json", timeout=10).json()["paths"]
    operations = sum(len(item) for item in paths.values())
    token = access_token(server)
    problems: list[str] = []

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        try:
            page = await browser.new_page()
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: problems.append(str(error)))

            await page.goto(f"{server}/swagger/")
            await page.wait_for_selector(".opblock", timeout=20_000)
            assert await page.locator(".opblock").count() == operations

            if token is not None:
                await page.click("button.authorize")
                bearer = page.locator(".auth-container").filter(has_text="HTTPBearer")
                await bearer.locator("input").first.fill(token)
                await bearer.locator("button.authorize").click()
                await page.click("button.btn-done")
                for path in TRY_IT_OUT:
                    if path in paths:
                        secured = any(paths[path]["get"].get("security", [{}]))
                        await try_it_out(page, path, sends_token=secured)

            await page.goto(f"{server}/redoc/")
            await page.wait_for_selector("li[data-item-id]", timeout=20_000)
            assert await page.locator("h1").filter(has_text="Nexus API").count() >= 1
        finally:
            await browser.close()

    # Chromium reports a CSP violation as a console error ("Refused to ...", "violates ...").
    assert [problem for problem in problems if not is_redoc_branding(problem)] == [], problems


def is_redoc_branding(message: str) -> bool:
    """ReDoc's bundle always fetches its branding logo from its CDN, with no option to turn it
    off. Our CSP blocks it on purpose (the docs load nothing from third parties and work
    offline), and ReDoc then hides the image. That one refusal is expected; any other is not."""
    return REDOC_LOGO in message and "Content Security Policy" in message


async def try_it_out(page: object, path: str, *, sends_token: bool) -> None:
    from playwright.async_api import Page, expect

    assert isinstance(page, Page)
    block = page.locator(".opblock-get").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )
    await block.locator(".opblock-summary").click()
    await block.locator("button.try-out__btn").click()
    await block.locator("button.execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    await expect(status).to_have_text("200", timeout=20_000)
    if sends_token:  # the authorized token went out with the request
        curl = await block.locator(".curl-command").inner_text()
        assert "Authorization: Bearer" in curl, curl


def test_chromium_is_debians_not_a_download() -> None:
    """The flags and the binary the browser test uses: never a browser a tool downloaded."""
    if not CHROMIUM.exists():
        needs_browser()
    assert shutil.which(str(CHROMIUM)) is not None
    assert "ms-playwright" not in str(CHROMIUM.resolve())
