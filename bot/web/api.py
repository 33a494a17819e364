"""JSON endpoints over the knowledge base: topics and search."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.kb.store import ArticleView
from bot.web.context import context
from bot.web.errors import json_error
from bot.web.ratelimit import client_address

routes = web.RouteTableDef()
MAX_QUERY_CHARS = 200


def summary(article: ArticleView) -> dict[str, Any]:
    return {
        "topic": article.slug,
        "theme": article.theme,
        "kind": article.kind,
        "title": article.text("nb").title,
        "title_nn": article.text("nn").title,
        "reviewed": article.reviewed.isoformat(),
        "version": article.version,
    }


@routes.get("/api/topics")
async def topics(request: web.Request) -> web.Response:
    articles = context(request).kb.articles()
    return web.json_response({"topics": [summary(a) for a in articles]})


@routes.get("/api/topics/{slug}")
async def topic(request: web.Request) -> web.Response:
    article = context(request).kb.article(request.match_info["slug"])
    if article is None:
        return json_error(404, "Fant ikke temaet.")
    body = summary(article) | {
        "related": list(article.related),
        "sources": list(article.sources),
        "links": list(article.links),
        "texts": {
            lang: {"title": t.title, "short": t.short, "body": t.body, "steps": list(t.steps)}
            for lang, t in article.texts.items()
        },
    }
    return web.json_response(body)


def search_query(request: web.Request) -> str | None:
    """The `q` parameter, or None when it is missing or too long to be a question."""
    query = request.query.get("q", "").strip()
    if not query or len(query) > MAX_QUERY_CHARS:
        return None
    return query


@routes.get("/api/search")
async def search(request: web.Request) -> web.Response:
    if limited := context(request).ip_limiter.refuse(client_address(request)):
        return limited
    query = search_query(request)
    if query is None:
        return json_error(400, f"Oppgi et søk i q (1–{MAX_QUERY_CHARS} tegn).")
    kb = context(request).kb
    results = []
    for hit in kb.search(query, limit=10):
        article = kb.article(hit.topic)
        if article is not None:
            results.append(
                {"topic": hit.topic, "title": article.text("nb").title, "score": hit.score}
            )
    return web.json_response({"query": query, "results": results})
