"""`GET /api/openapi.json`: the public API's description, from docs/openapi.yaml.

The YAML file is the single source; the served copy only fills in what this
installation configures (the message limit), so clients and fuzzers see the real one.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from bot.config import Settings
from bot.web.context import context

routes = web.RouteTableDef()


def spec_path(settings: Settings) -> Path:
    return settings.root / "docs" / "openapi.yaml"


@functools.lru_cache(maxsize=2)
def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an OpenAPI document")
    return data


def description(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document as this installation behaves."""
    doc = copy.deepcopy(_load(spec_path(settings)))
    message = doc["components"]["schemas"]["ChatRequest"]["properties"]["message"]
    message["maxLength"] = settings.max_message_chars
    return doc


@routes.get("/api/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(description(context(request).settings))
