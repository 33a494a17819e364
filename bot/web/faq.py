"""The caseworker FAQ: server-rendered pages over the same article rows the chat uses."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.topics import THEMES, THEMES_NN
from bot.web.api import MAX_QUERY_CHARS, search_query
from bot.web.context import context

routes = web.RouteTableDef()

UI = {
    "nb": {
        "faq": "Spørsmål og svar",
        "intro": "Svar for foreldre som har barn i fosterhjem – om tilknytning, samvær, "
        "tilbakeføring, rettigheter og støtte. Saksbehandlere kan lenke foreldre hit.",
        "search": "Søk",
        "search_label": "Søk i spørsmål og svar",
        "results_for": "Treff for",
        "no_results": "Ingen treff. Prøv et annet ord.",
        "sources": "Kilder",
        "reviewed": "Sist kontrollert",
        "steps": "Dette kan du gjøre nå",
        "related": "Relaterte spørsmål",
        "back": "Alle spørsmål",
        "copy": "Lenke til denne siden",
        "print": "Skriv ut",
        "other_lang": "Les på nynorsk",
        "disclaimer": "Generell informasjon, ikke råd i en enkelt sak. Spør saksbehandleren "
        "din om det som gjelder din sak.",
        "bad_query": f"Skriv et søk på 1–{MAX_QUERY_CHARS} tegn.",
    },
    "nn": {
        "faq": "Spørsmål og svar",
        "intro": "Svar for foreldre som har barn i fosterheim – om tilknyting, samvær, "
        "tilbakeføring, rettar og støtte. Saksbehandlarar kan lenkje foreldre hit.",
        "search": "Søk",
        "search_label": "Søk i spørsmål og svar",
        "results_for": "Treff for",
        "no_results": "Ingen treff. Prøv eit anna ord.",
        "sources": "Kjelder",
        "reviewed": "Sist kontrollert",
        "steps": "Dette kan du gjere no",
        "related": "Relaterte spørsmål",
        "back": "Alle spørsmål",
        "copy": "Lenkje til denne sida",
        "print": "Skriv ut",
        "other_lang": "Les på bokmål",
        "disclaimer": "Generell informasjon, ikkje råd i ei einskild sak. Spør "
        "saksbehandlaren din om det som gjeld saka di.",
        "bad_query": f"Skriv eit søk på 1–{MAX_QUERY_CHARS} teikn.",
    },
}


def _lang(request: web.Request) -> str:
    return "nn" if request.query.get("lang") == "nn" else "nb"


def _page(request: web.Request, lang: str, **values: Any) -> dict[str, Any]:
    suffix = "?lang=nn" if lang == "nn" else ""
    return {
        "lang": lang,
        "ui": UI[lang],
        "suffix": suffix,
        "other_suffix": "" if lang == "nn" else "?lang=nn",
        "path": request.path,
        **values,
    }


@routes.get("/faq")
async def index(request: web.Request) -> web.Response:
    lang = _lang(request)
    articles = context(request).kb.articles()
    names = THEMES_NN if lang == "nn" else THEMES
    groups = [
        (names[theme], [a for a in articles if a.theme == theme and a.kind == "answer"])
        for theme in THEMES
    ]
    return aiohttp_jinja2.render_template(
        "faq_index.html", request, _page(request, lang, groups=groups)
    )


@routes.get("/faq/search")
async def search(request: web.Request) -> web.Response:
    lang = _lang(request)
    query = search_query(request)
    kb = context(request).kb
    results = []
    if query is not None:
        for hit in kb.search(query, limit=10):
            article = kb.article(hit.topic)
            if article is not None:
                results.append(article)
    return aiohttp_jinja2.render_template(
        "faq_search.html",
        request,
        _page(
            request,
            lang,
            query=request.query.get("q", "")[:MAX_QUERY_CHARS],
            valid=query is not None,
            results=results,
        ),
        status=200 if query is not None else 400,
    )


@routes.get("/faq/{slug}")
async def article(request: web.Request) -> web.Response:
    lang = _lang(request)
    kb = context(request).kb
    found = kb.article(request.match_info["slug"])
    if found is None:
        raise web.HTTPNotFound(text="Fant ikke denne siden.")
    related = [r for slug in found.related if (r := kb.article(slug)) is not None]
    return aiohttp_jinja2.render_template(
        "faq_article.html", request, _page(request, lang, article=found, related=related)
    )
