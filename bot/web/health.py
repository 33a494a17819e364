"""`GET /healthz`: 200 only when the web app, its databases, the engine and actions answer."""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.web.context import context

routes = web.RouteTableDef()


def _answers(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any database failure means "down"
        return False
    return True


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """The engine counts as up while at least one replica answers; each is listed."""
    ctx = context(request)
    engines, actions_ok = await asyncio.gather(
        ctx.engine.engines_ready(), ctx.engine.actions_ready()
    )
    components = {
        "web": "ok",
        "database": "ok" if _answers(ctx.kb.engine) else "down",
        "tracker_store": "ok" if _answers(ctx.tracker_db) else "down",
        "engine": "ok" if any(engines.values()) else "down",
        "actions": "ok" if actions_ok else "down",
    }
    healthy = all(state == "ok" for state in components.values())
    body: dict[str, object] = {
        "status": "ok" if healthy else "unavailable",
        "components": components,
        "engine_replicas": {
            f"engine-{i + 1}": "ok" if up else "down" for i, up in enumerate(engines.values())
        },
    }
    if not healthy:
        body["down"] = [name for name, state in components.items() if state != "ok"]
    return web.json_response(body, status=200 if healthy else 503)
