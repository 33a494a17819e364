"""The web app factory: the only public surface of Landsby."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.config import Settings
from bot.db import create_tables, make_engine
from bot.kb.store import KnowledgeBase
from bot.review import users
from bot.sessions import SessionStore
from bot.web import admin, api, chat, conversation, demo, faq, health, openapi
from bot.web.context import CONTEXT, AppContext
from bot.web.cors import cors_middleware
from bot.web.engine_client import EngineClient
from bot.web.errors import error_middleware
from bot.web.ratelimit import RateLimiter
from bot.web.security import security_headers
from bot.web.turns import ConversationTurns

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[security_headers, cors_middleware(settings.cors_origins), error_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(default=True),
    )

    async def resources(app: web.Application) -> AsyncIterator[None]:
        db = make_engine(settings.db_url)
        create_tables(db)
        users.bootstrap_admin(db, settings.admin_password)
        tracker_db = make_engine(settings.tracker_db_url)
        async with aiohttp.ClientSession() as http:
            app[CONTEXT] = AppContext(
                settings=settings,
                kb=KnowledgeBase(db),
                tracker_db=tracker_db,
                sessions=SessionStore(db),
                engine=EngineClient(settings, http),
                session_limiter=RateLimiter(settings.rate_per_minute),
                ip_limiter=RateLimiter(settings.rate_per_minute * 10),
                turns=ConversationTurns(),
            )
            yield
        db.dispose()
        tracker_db.dispose()

    app.cleanup_ctx.append(resources)
    admin.setup(app)  # after `resources`: the admin's own state needs the AppContext
    app.add_routes(chat.routes)
    app.add_routes(conversation.routes)
    app.add_routes(health.routes)
    app.add_routes(api.routes)
    app.add_routes(openapi.routes)
    app.add_routes(faq.routes)
    app.add_routes(demo.routes)
    app.router.add_static("/static", HERE / "static", follow_symlinks=False)
    return app
