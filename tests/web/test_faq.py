from __future__ import annotations

from typing import Any

import pytest

from bot.kb.store import KnowledgeBase
from bot.topics import KNOWLEDGE_TOPICS, THEMES, THEMES_NN
from bot.web.security import HEADERS

Client = Any


async def test_faq_lists_every_knowledge_topic_grouped_by_theme(
    client: Client, kb: KnowledgeBase
) -> None:
    resp = await client.get("/faq")
    html = await resp.text()
    assert resp.status == 200 and '<html lang="nb">' in html
    for theme in THEMES.values():
        assert f"<h2>{theme}</h2>" in html
    for slug in KNOWLEDGE_TOPICS:
        assert f'href="/faq/{slug}"' in html


async def test_faq_in_nynorsk(client: Client) -> None:
    html = await (await client.get("/faq?lang=nn")).text()
    assert '<html lang="nn">' in html and THEMES_NN["tilknytning"] in html
    assert 'href="/faq/samvaer.hyppighet?lang=nn"' in html


@pytest.mark.parametrize("slug", KNOWLEDGE_TOPICS)
@pytest.mark.parametrize("lang", ["nb", "nn"])
async def test_every_article_page(client: Client, kb: KnowledgeBase, slug: str, lang: str) -> None:
    resp = await client.get(f"/faq/{slug}" + ("?lang=nn" if lang == "nn" else ""))
    html = await resp.text()
    article = kb.article(slug)
    assert resp.status == 200 and article is not None
    assert article.text(lang).title.replace("'", "&#39;") in html
    assert "Sist kontrollert" in html and article.reviewed.strftime("%d.%m.%Y") in html
    for source in article.sources:
        assert source["url"] in html


async def test_unknown_article_is_404(client: Client) -> None:
    resp = await client.get("/faq/finnes.ikke")
    assert resp.status == 404


async def test_faq_search_page(client: Client) -> None:
    resp = await client.get("/faq/search", params={"q": "familierådet"})
    html = await resp.text()
    assert resp.status == 200 and 'href="/faq/tilbakeforing.familierad"' in html


async def test_faq_search_escapes_the_query(client: Client) -> None:
    resp = await client.get("/faq/search", params={"q": "<script>alert(1)</script>"})
    html = await resp.text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


async def test_api_search_is_best_first(client: Client) -> None:
    resp = await client.get("/api/search", params={"q": "klagefrist"})
    body = await resp.json()
    assert resp.status == 200
    assert body["results"][0]["topic"] == "rettigheter.klage"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert set(body["results"][0]) == {"topic", "title", "score"}


@pytest.mark.parametrize("query", ["", "x" * 201])
async def test_api_search_rejects_empty_and_huge_queries(client: Client, query: str) -> None:
    resp = await client.get("/api/search", params={"q": query})
    assert resp.status == 400 and (await resp.json())["error"]


async def test_api_topics(client: Client, kb: KnowledgeBase) -> None:
    body = await (await client.get("/api/topics")).json()
    assert {t["topic"] for t in body["topics"]} == {a.slug for a in kb.articles()}
    one = await (await client.get("/api/topics/samvaer.tilsyn")).json()
    assert set(one["texts"]) == {"nb", "nn", "en"} and one["sources"]
    missing = await client.get("/api/topics/finnes.ikke")
    assert missing.status == 404 and (await missing.json())["error"]


@pytest.mark.parametrize("path", ["/faq", "/api/topics", "/healthz", "/api/nothing", "/faq/x"])
async def test_security_headers_everywhere(client: Client, path: str) -> None:
    resp = await client.get(path)
    for name, value in HEADERS.items():
        assert resp.headers.get(name) == value, (path, name)


async def test_unknown_api_path_is_a_json_404(client: Client) -> None:
    resp = await client.get("/api/nothing")
    assert resp.status == 404 and (await resp.json())["error"]


async def test_wrong_method_is_a_json_405(client: Client) -> None:
    resp = await client.get("/api/chat")
    assert resp.status == 405 and (await resp.json())["error"]


async def test_static_files_cannot_escape_their_folder(client: Client) -> None:
    resp = await client.get("/static/../../config.py")
    assert resp.status in (403, 404)
    resp = await client.get("/static/%2e%2e/%2e%2e/config.py")
    assert resp.status in (403, 404)
