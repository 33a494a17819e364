"""The conversation around the answers: welcome, feedback, deleting one's conversation."""

from __future__ import annotations

from aiohttp import web

from bot import answers, feedback, retention
from bot.sessions import SESSION_ID
from bot.web.context import context
from bot.web.errors import json_error, read_json

routes = web.RouteTableDef()


@routes.get("/api/welcome")
async def welcome(request: web.Request) -> web.Response:
    """The first message: what Landsby helps with, that it is automated, not an emergency line."""
    lang = request.query.get("lang", "nb")
    if lang not in ("nb", "nn", "en"):
        lang = "nb"
    return web.json_response({"messages": [answers.system("welcome", lang, "smalltalk")]})


def _session_id(body: dict[str, object]) -> str | None:
    value = body.get("session_id")
    return value if isinstance(value, str) and SESSION_ID.match(value) else None


@routes.post("/api/feedback")
async def give_feedback(request: web.Request) -> web.Response:
    body = await read_json(request)
    session_id = _session_id(body)
    value = body.get("value")
    topic = body.get("topic")
    version = body.get("version")
    if session_id is None or value not in ("up", "down"):
        return json_error(400, "Oppgi session_id og value («up» eller «down»).")
    if (topic is not None and not isinstance(topic, str)) or (
        version is not None and not isinstance(version, str)
    ):
        return json_error(400, "topic og version må være tekst.")
    ctx = context(request)
    if ctx.sessions.get(session_id).is_new:
        return json_error(404, "Fant ikke samtalen.")
    feedback.record(ctx.kb.engine, session_id, topic, version, value)
    return web.Response(status=204)


@routes.post("/api/session/delete")
async def delete_session(request: web.Request) -> web.Response:
    """Delete everything stored for the conversation, then confirm."""
    body = await read_json(request)
    session_id = _session_id(body)
    if session_id is None:
        return json_error(400, "Oppgi session_id for samtalen som skal slettes.")
    ctx = context(request)
    lang = ctx.sessions.get(session_id).lang or "nb"
    retention.delete_session(ctx.kb.engine, ctx.tracker_db, session_id)
    return web.json_response(
        {"deleted": True, "messages": [answers.system("deleted", lang, "smalltalk")]}
    )
