"""The rasa-sdk action server for `actions/`: loopback by default, requiring the token."""

from __future__ import annotations

import hmac
from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.config import Settings


def build(settings: Settings) -> Sanic[Any, Any]:
    executor = ActionExecutor()
    executor.register_package("actions")
    app: Sanic[Any, Any] = create_app(executor, cors_origins=None)
    expected = f"Bearer {settings.action_token}".encode()

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    app.register_middleware(require_token, "request")
    return app


def serve(settings: Settings) -> None:
    build(settings).run(
        host=settings.internal_host,
        port=settings.action_port,
        single_process=True,
        access_log=False,
        motd=False,
    )
