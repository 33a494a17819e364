"""What the request handlers share, built by the app factory's cleanup context."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.kb.store import KnowledgeBase
from bot.sessions import SessionStore
from bot.web.engine_client import EngineClient
from bot.web.ratelimit import RateLimiter
from bot.web.turns import ConversationTurns


@dataclass
class AppContext:
    settings: Settings
    kb: KnowledgeBase
    tracker_db: Engine
    sessions: SessionStore
    engine: EngineClient
    session_limiter: RateLimiter
    ip_limiter: RateLimiter
    turns: ConversationTurns


CONTEXT = web.AppKey("context", AppContext)


def context(request: web.Request) -> AppContext:
    return request.app[CONTEXT]
