"""Clear JSON errors for the API, and no stack trace in any response."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from bot.messages import message

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_REASONS = {
    400: "Forespørselen kunne ikke leses.",
    404: "Fant ikke siden.",
    405: "Metoden er ikke tillatt her.",
    413: "Forespørselen er for stor.",
    500: "Noe gikk galt hos oss. Prøv igjen om litt.",
}


def json_error(status: int, text: str, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.json_response({"error": text}, status=status, headers=headers)


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400/413 the client can understand."""
    try:
        raw = await request.read()
        body = json.loads(raw.decode("utf-8"))
    except web.HTTPRequestEntityTooLarge:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the decoder's stack (`[[[[…` within 64 KiB).
        raise web.HTTPBadRequest(
            text=json.dumps({"error": message("invalid_request") + " (JSON)"}),
            content_type="application/json",
        ) from exc
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "Forventet et JSON-objekt med feltet «message»."}),
            content_type="application/json",
        )
    return body


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API errors as JSON; unexpected failures logged, answered without details."""
    wants_json = request.path.startswith("/api/") or request.path == "/healthz"
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if not wants_json or exc.content_type == "application/json" or exc.status < 400:
            raise
        keep = {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After")}
        return json_error(exc.status, _REASONS.get(exc.status, exc.reason), keep)
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json:
            return json_error(500, _REASONS[500])
        return web.Response(status=500, text=_REASONS[500])
