"""`GET /healthz`: 200 only when the web app, the engine and the action server answer."""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import text

from bot.web.context import context

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    ctx = context(request)
    engine_ok, actions_ok = await asyncio.gather(
        ctx.engine.engine_ready(), ctx.engine.actions_ready()
    )
    try:
        with ctx.kb.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        database_ok = True
    except Exception:
        database_ok = False
    components = {
        "web": "ok",
        "database": "ok" if database_ok else "down",
        "engine": "ok" if engine_ok else "down",
        "actions": "ok" if actions_ok else "down",
    }
    healthy = all(state == "ok" for state in components.values())
    body: dict[str, object] = {
        "status": "ok" if healthy else "unavailable",
        "components": components,
    }
    if not healthy:
        body["down"] = [name for name, state in components.items() if state != "ok"]
    return web.json_response(body, status=200 if healthy else 503)
