"""`POST /api/chat`: one parent message in, the assistant's messages out.

Order matters: validate → limit → crisis guard (before any model) → redact (before
anything is sent or stored) → engine → map the engine's messages to the public shape.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot import answers, lang, retention
from bot.messages import message
from bot.safety import crisis, redact
from bot.sessions import SESSION_ID, SessionState, new_session_id
from bot.topics import ALL_TOPICS
from bot.web.context import AppContext, context
from bot.web.engine_client import EngineUnavailable
from bot.web.errors import json_error, read_json
from bot.web.ratelimit import client_address, too_many

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()

# Button payloads: "/<slug>" or "/<slug>?lang=nb". Anything else starting with "/" is
# text, never Rasa's "/intent{...}" syntax, so users cannot set slots or intents.
_PAYLOAD = re.compile(r"^/([a-z_]+(?:\.[a-z_]+)?)(?:\?lang=(nb|nn|en))?$")
# "slett samtalen min", "slett chatten", "delete my conversation": handled here, never
# sent to the engine, so the request itself is not stored either.
_DELETE_REQUEST = re.compile(
    r"^\W*(slett|sletta|fjern|delete|erase)\b.{0,25}\b(samtalen|samtala|samtale|praten|chatten|"
    r"meldingene|meldingane|conversation|chat)\b.{0,20}$",
    re.IGNORECASE,
)
_API_FIELDS = ("text", "kind", "topic", "lang", "sources", "buttons", "links", "details", "version")


@dataclass(frozen=True)
class Incoming:
    text: str
    topic: str | None = None
    lang: str | None = None


def clean(raw: str) -> str:
    """The text without control and invisible format characters (kept out of every store)."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co") else " "
        for ch in raw
    ).strip()


def parse_message(raw: str) -> Incoming:
    """A typed message, or a button payload asking for one topic."""
    text = clean(raw)
    match = _PAYLOAD.match(text)
    if match and match.group(1) in ALL_TOPICS:
        return Incoming(text=text, topic=match.group(1), lang=match.group(2))
    return Incoming(text=text.lstrip("/").strip())


def to_public(raw: dict[str, Any], fallback_lang: str) -> answers.ChatMessage:
    """The engine's reply message in the public `/api/chat` shape."""
    custom = raw.get("custom")
    if isinstance(custom, dict):
        msg: dict[str, Any] = {k: custom[k] for k in _API_FIELDS if k in custom}
    else:
        msg = {"text": str(raw.get("text") or ""), "kind": "smalltalk", "topic": None}
        msg["buttons"] = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in raw.get("buttons") or []
            if isinstance(b, dict)
        ]
    msg.setdefault("topic", None)
    msg.setdefault("lang", fallback_lang)
    msg.setdefault("sources", [])
    msg.setdefault("buttons", [])
    return msg  # type: ignore[return-value]


def _limit(ctx: AppContext, request: web.Request, session_id: str) -> web.Response | None:
    wait = max(ctx.ip_limiter.hit(client_address(request)), ctx.session_limiter.hit(session_id))
    return too_many(wait) if wait else None


@routes.post("/api/chat")
async def chat(request: web.Request) -> web.Response:
    ctx = context(request)
    body = await read_json(request)
    raw_message = body.get("message")
    session_id = body.get("session_id")
    requested_lang = body.get("lang")
    if not isinstance(raw_message, str) or not raw_message.strip():
        return json_error(400, message("empty"))
    if len(raw_message) > ctx.settings.max_message_chars:
        return json_error(413, message("too_long", limit=ctx.settings.max_message_chars))
    if session_id is not None and (
        not isinstance(session_id, str) or not SESSION_ID.match(session_id)
    ):
        return json_error(400, "session_id må være en streng fra en tidligere samtale.")
    if requested_lang is not None and requested_lang not in lang.LANGS:
        return json_error(400, "lang må være nb, nn eller en.")

    state = ctx.sessions.get(session_id)
    if limited := _limit(ctx, request, state.id):
        return limited

    incoming = parse_message(raw_message)
    if not incoming.text:
        return json_error(400, message("empty"))
    async with ctx.turns.turn(state.id):
        if not state.is_new:  # what the conversation's previous turn changed
            state = ctx.sessions.get(state.id)
        return await _turn(ctx, state, incoming, requested_lang)


async def _turn(
    ctx: AppContext, state: SessionState, incoming: Incoming, requested_lang: str | None
) -> web.Response:
    """Answer one message of the conversation `state` (its turn: nothing else runs in it)."""
    if _DELETE_REQUEST.match(incoming.text):
        retention.delete_session(ctx.kb.engine, ctx.tracker_db, state.id)
        reply = answers.system("deleted", state.lang or lang.detect(incoming.text), "smalltalk")
        return web.json_response({"session_id": new_session_id(), "messages": [reply]})
    switch = lang.requested_switch(incoming.text)
    if switch:
        state.lang, state.lang_chosen = switch, True
        ctx.sessions.save(state)
        reply = answers.system("lang_switched", switch, "smalltalk")
        return _reply(state, [reply])
    chosen: str | None = incoming.lang or requested_lang
    if chosen:
        reply_lang, state.lang_chosen = chosen, True
    else:
        reply_lang = lang.detect(incoming.text, state.lang, state.lang_chosen)
    state.lang = reply_lang

    danger = None if incoming.topic else crisis.detect(incoming.text)
    redaction = redact.redact(incoming.text)
    out: list[answers.ChatMessage] = []
    if redaction.changed and not state.privacy_noticed:
        out.append(answers.system("redaction_notice", reply_lang, "smalltalk"))
        state.privacy_noticed = True

    metadata: dict[str, Any] = {"lang": reply_lang}
    if danger:
        metadata["guard"] = danger.topic
    engine_text = f"/{incoming.topic}" if incoming.topic else redaction.text
    try:
        replies = [
            to_public(m, reply_lang) for m in await ctx.engine.send(state.id, engine_text, metadata)
        ]
    except EngineUnavailable as exc:
        logger.warning("engine unavailable: %s", exc)
        if not danger:
            return json_error(503, message("engine_unavailable", reply_lang))
        replies = []
    if danger and not any(m.get("kind") == "crisis" for m in replies):
        # The guard's answer never depends on the model or the engine being up.
        article = ctx.kb.article(danger.topic)
        if article is not None:
            replies.insert(0, answers.from_article(ctx.kb, article, reply_lang))
    if not replies:
        # The engine stored the turn but its action failed (action server down): say so
        # kindly now; service is normal again as soon as the action server is back.
        replies = [answers.system("action_unavailable", reply_lang, "fallback")]

    ctx.sessions.save(state)
    return _reply(state, out + replies)


def _reply(state: SessionState, messages: list[answers.ChatMessage]) -> web.Response:
    body: dict[str, Any] = {"session_id": state.id, "messages": messages}
    if state.is_new:
        # Said on every new conversation, also to API clients that show no welcome.
        body["disclosure"] = message("disclosure", state.lang or "nb")
    return web.json_response(body)
