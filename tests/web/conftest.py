"""The web app against a stand-in engine that records what it receives.

The stand-in speaks the engine's HTTP contract (the `landsby` channel, `/status`) so the
web app's own behaviour — validation, limits, guard, redaction, mapping — is tested
without training a model. The real engine is exercised in tests/integration.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.kb.store import KnowledgeBase
from bot.web.app import create_app


class StandInEngine:
    def __init__(self, token: str) -> None:
        self.token = token
        self.received: list[dict[str, Any]] = []
        self.mode = "ok"  # ok | down | empty | slow
        self.delays: list[float] = []  # seconds to take for the next messages
        self.log: list[tuple[str, str]] = []  # ("start" | "end", message)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/landsby/webhook", self.webhook)
        app.router.add_get("/status", self.status)
        app.router.add_get("/health", self.status)
        return app

    async def status(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": True}, status=503 if self.mode == "down" else 200)

    async def webhook(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"error": "unauthorized"}, status=401)
        body = await request.json()
        self.received.append(body)
        self.log.append(("start", body["message"]))
        if self.delays:
            await asyncio.sleep(self.delays.pop(0))
        self.log.append(("end", body["message"]))
        if self.mode == "down":
            return web.json_response({"error": "processing failed"}, status=503)
        if self.mode == "empty":
            return web.json_response([])
        if self.mode == "slow":
            await asyncio.sleep(30)
        text = body["message"]
        topic = text[1:] if text.startswith("/") else "samvaer.hyppighet"
        if body["metadata"].get("guard"):
            topic = body["metadata"]["guard"]
        kind = "crisis" if topic.startswith("krise.") else "answer"
        custom = {
            "text": f"svar om {topic}",
            "kind": kind,
            "topic": topic,
            "lang": body["metadata"]["lang"],
            "sources": [],
            "buttons": [],
        }
        return web.json_response([{"recipient_id": body["sender"], "custom": custom}])


def pointed_at(
    settings: Settings, kb: KnowledgeBase, engine_server: TestServer, **overrides: Any
) -> Settings:
    """Settings for a web app that uses `kb` and the stand-in engine on `engine_server`."""
    port = engine_server.port
    assert port is not None
    return dataclasses.replace(
        settings, db_url=str(kb.engine.url), engine_port=port, action_port=port, **overrides
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[tuple[StandInEngine, TestServer]]:
    stand_in = StandInEngine(settings.engine_token)
    server = TestServer(stand_in.app())
    await server.start_server()
    yield stand_in, server
    await server.close()


@pytest.fixture
async def client(
    settings: Settings,
    engine: tuple[StandInEngine, TestServer],
    kb: KnowledgeBase,
    aiohttp_client: Any,
) -> TestClient[web.Request, web.Application]:
    _, server = engine
    configured = pointed_at(settings, kb, server, rate_per_minute=5)
    return await aiohttp_client(create_app(configured))  # type: ignore[no-any-return]


@pytest.fixture
def stand_in(engine: tuple[StandInEngine, TestServer]) -> StandInEngine:
    return engine[0]
