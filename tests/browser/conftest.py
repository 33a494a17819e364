"""The widget in a real browser: the web app on a real port, headless Chromium driving it.

The web app runs against the stand-in engine of tests/web, extended to answer the way
the action server does — from the real knowledge base, so answers carry sources, quick
replies, details and call links — or, in "xss" mode, with hostile content in every field.
Chromium is Debian's (`apt-get install chromium`): test tools cannot download browsers here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, ConsoleMessage, Dialog, Page, async_playwright

from bot import answers
from bot.config import PROJECT_ROOT, Settings
from bot.kb.store import KnowledgeBase
from bot.web.app import create_app
from tests.web.conftest import StandInEngine, pointed_at

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Hostile content in every field of an answer. `window.__pwned` is set if any of it runs.
HOSTILE_ANSWER: dict[str, Any] = {
    "text": '<img src=x onerror="window.__pwned=1;alert(1)"> <script>window.__pwned=2</script>',
    "kind": "answer",
    "topic": "samvaer.hyppighet",
    "lang": "nb",
    "sources": [
        {"title": "<b>javascript-kilde</b>", "url": "javascript:window.__pwned=3"},
        {"title": "data-kilde", "url": "data:text/html,<script>alert(1)</script>"},
        {"title": "http-kilde", "url": "http://example.org/"},
        {"title": "Trygg kilde", "url": "https://www.bufdir.no/"},
    ],
    "buttons": [
        {"title": '<img src=x onerror="window.__pwned=4">', "payload": "/samvaer.endring"},
    ],
    "links": [
        {"title": "skjult lenke", "url": " JaVaScRiPt:alert(5)"},
        {"title": "112 – Politi", "url": "tel:112"},
    ],
    "details": {
        "title": "<svg onload=alert(6)>",
        "body": "<iframe src=javascript:alert(7)></iframe>",
        "steps": ["<a href=javascript:alert(8)>klikk</a>"],
    },
    "version": "v1",
}


class KnowledgeEngine(StandInEngine):
    """Answers like the action server: the article for the topic the message asks about."""

    def __init__(self, token: str, kb: KnowledgeBase) -> None:
        super().__init__(token)
        self.kb = kb
        self.delay_s = 0.0  # lets a test see the typing indicator

    async def webhook(self, request: web.Request) -> web.Response:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        plain = await super().webhook(request)  # checks the token, records, handles modes
        if plain.status != 200 or self.mode == "empty":
            return plain
        body = self.received[-1]
        if self.mode == "xss":
            return web.json_response([{"recipient_id": body["sender"], "custom": HOSTILE_ANSWER}])
        article = self.kb.article(self._topic(body["message"], body["metadata"]))
        assert article is not None
        custom = answers.from_article(self.kb, article, body["metadata"]["lang"])
        return web.json_response([{"recipient_id": body["sender"], "custom": custom}])

    def _topic(self, text: str, metadata: dict[str, Any]) -> str:
        if metadata.get("guard"):
            return str(metadata["guard"])
        if text.startswith("/"):
            return text[1:]
        hits = self.kb.search(text, limit=1)  # a stand-in for the NLU model
        return hits[0].topic if hits else "samvaer.hyppighet"


@dataclasses.dataclass
class LiveApp:
    url: str
    engine: KnowledgeEngine


@pytest.fixture
async def start_app(
    settings: Settings, kb: KnowledgeBase
) -> AsyncIterator[Callable[..., Awaitable[LiveApp]]]:
    """Start the web app (and its stand-in engine) on real ports; settings may be overridden."""
    servers: list[TestServer] = []

    async def start(**overrides: Any) -> LiveApp:
        engine = KnowledgeEngine(settings.engine_token, kb)
        engine_server = TestServer(engine.app())
        await engine_server.start_server()
        servers.append(engine_server)
        app = create_app(pointed_at(settings, kb, engine_server, **overrides))
        app_server = TestServer(app, host="127.0.0.1")
        await app_server.start_server()
        servers.append(app_server)
        return LiveApp(url=str(app_server.make_url("/")), engine=engine)

    yield start
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def live(start_app: Callable[..., Awaitable[LiveApp]]) -> LiveApp:
    return await start_app()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Browser tests need Debian's Chromium: apt-get install -y chromium")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@dataclasses.dataclass
class Watch:
    """What a page said that nobody asked for: console errors, uncaught errors, dialogs."""

    console_errors: list[str] = dataclasses.field(default_factory=list)
    page_errors: list[str] = dataclasses.field(default_factory=list)
    dialogs: list[str] = dataclasses.field(default_factory=list)
    allowed: list[re.Pattern[str]] = dataclasses.field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    async def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()

    def allow(self, pattern: str) -> None:
        """Expect console errors matching `pattern` (the browser logs every 4xx/5xx fetch)."""
        self.allowed.append(re.compile(pattern))

    def problems(self) -> list[str]:
        unexpected = [e for e in self.console_errors if not any(p.search(e) for p in self.allowed)]
        return unexpected + self.page_errors + self.dialogs


@dataclasses.dataclass
class Pages:
    """Opens watched pages; every one must end without console errors or dialogs."""

    browser: Browser
    watches: list[Watch] = dataclasses.field(default_factory=list)

    async def open(self, **context_options: Any) -> tuple[Page, Watch]:
        options: dict[str, Any] = {"viewport": DESKTOP, "locale": "nb-NO"} | context_options
        context = await self.browser.new_context(**options)
        page = await context.new_page()
        watch = Watch()
        watch.attach(page)
        self.watches.append(watch)
        return page, watch


@pytest.fixture
async def pages(browser: Browser) -> AsyncIterator[Pages]:
    opened = Pages(browser)
    yield opened
    problems = [p for watch in opened.watches for p in watch.problems()]
    assert not problems, f"the page reported: {problems}"


@pytest.fixture
async def page(pages: Pages, live: LiveApp) -> Page:
    """The demo page on a desktop-sized screen, under the app's own CSP."""
    opened, _ = await pages.open()
    await opened.goto(live.url)
    return opened


@pytest.fixture
def axe_source() -> Path:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` in the project root")
    return AXE


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
