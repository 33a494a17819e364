from __future__ import annotations

import dataclasses
from typing import Any

from bot.config import Settings
from bot.kb.store import KnowledgeBase
from bot.web.app import create_app

ALLOWED = "https://www.eksempel.kommune.no"


async def client_for(aiohttp_client: Any, settings: Settings, kb: KnowledgeBase) -> Any:
    configured = dataclasses.replace(settings, db_url=str(kb.engine.url), cors_origins=(ALLOWED,))
    return await aiohttp_client(create_app(configured))


async def test_a_configured_origin_may_call_the_api(
    aiohttp_client: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    client = await client_for(aiohttp_client, settings, kb)
    preflight = await client.options(
        "/api/chat",
        headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    resp = await client.get("/api/topics", headers={"Origin": ALLOWED})
    assert resp.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert resp.headers["Access-Control-Expose-Headers"] == "Retry-After"


async def test_other_origins_get_no_cors_headers(
    aiohttp_client: Any, settings: Settings, kb: KnowledgeBase
) -> None:
    client = await client_for(aiohttp_client, settings, kb)
    for origin in ("https://evil.example", "null", ALLOWED + ".evil.example"):
        resp = await client.get("/api/topics", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in resp.headers
    faq = await client.get("/faq", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in faq.headers
