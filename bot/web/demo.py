"""The demo page at `/`: a municipality's information page with the chat widget embedded.

It shows integrators the one `<script>` tag they need, and gives the browser tests a
realistic host page (its own styles, links and headings) to embed the widget in.
"""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

routes = web.RouteTableDef()


@routes.get("/")
@aiohttp_jinja2.template("demo.html")
async def demo(request: web.Request) -> dict[str, Any]:
    return {}
