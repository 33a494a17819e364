"""The conversation around the answers: welcome, feedback, deleting one's conversation."""

from __future__ import annotations

import re

from aiohttp import web

from bot import answers, feedback, retention
from bot.sessions import SESSION_ID
from bot.web.context import context
from bot.web.errors import json_error, read_json
from bot.web.ratelimit import client_address

routes = web.RouteTableDef()
# As in docs/openapi.yaml: what the widget sends back from an answer (its `topic` and
# `version`), and nothing else, so that junk never reaches the database.
_TOPIC = re.compile(r"^[a-z_]+(?:\.[a-z_]+)?$")
_VERSION = re.compile(r"^[0-9a-f]{1,16}$")


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


def _optional_match(pattern: re.Pattern[str], value: object, max_len: int) -> bool:
    return value is None or (
        isinstance(value, str) and len(value) <= max_len and pattern.fullmatch(value) is not None
    )


@routes.post("/api/feedback")
async def give_feedback(request: web.Request) -> web.Response:
    if limited := context(request).ip_limiter.refuse(client_address(request)):
        return limited
    body = await read_json(request)
    session_id = _session_id(body)
    value = body.get("value")
    topic = body.get("topic")
    version = body.get("version")
    if session_id is None or value not in ("up", "down"):
        return json_error(400, "Oppgi session_id og value («up» eller «down»).")
    if not _optional_match(_TOPIC, topic, 64) or not _optional_match(_VERSION, version, 16):
        return json_error(400, "topic og version må være som i svaret som vurderes.")
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
