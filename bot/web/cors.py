"""CORS for the public API, only for the origins a deployment configures.

The widget may be embedded on the municipality's own site (another origin than the
Landsby server); browsers then need these headers. Nobody else gets them.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.web.errors import Handler

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type"
MAX_AGE_S = "600"


def cors_middleware(origins: tuple[str, ...]) -> Middleware:
    allowed = frozenset(origins)

    @web.middleware
    async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin", "")
        applies = request.path.startswith("/api/") and origin in allowed
        if applies and request.method == "OPTIONS":
            response: web.StreamResponse = web.Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = MAX_AGE_S
        else:
            response = await handler(request)
        if applies:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
            response.headers.add("Vary", "Origin")
        return response

    return cors
