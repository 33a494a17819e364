"""Turn knowledge-base articles into chat messages (the `messages[]` items of /api/chat).

The actions and the web app's crisis guard both answer through here, so an answer looks
the same whichever path produced it.
"""

from __future__ import annotations

from typing import Any, TypedDict

from bot.deployment import Deployment
from bot.kb.store import ArticleView, KnowledgeBase
from bot.messages import message


class Button(TypedDict):
    title: str
    payload: str


class ChatMessage(TypedDict, total=False):
    text: str
    kind: str
    topic: str | None
    lang: str
    sources: list[dict[str, str]]
    buttons: list[Button]
    links: list[dict[str, str]]
    details: dict[str, Any]
    version: str


def topic_payload(slug: str, lang: str | None = None) -> str:
    """A button payload that asks for one topic directly (parsed by the web app)."""
    return f"/{slug}" + (f"?lang={lang}" if lang else "")


def topic_button(kb: KnowledgeBase, slug: str, lang: str) -> Button | None:
    article = kb.article(slug)
    if article is None:
        return None
    return {"title": article.text(lang).title, "payload": topic_payload(slug)}


def from_article(
    kb: KnowledgeBase, article: ArticleView, lang: str, deployment: Deployment | None = None
) -> ChatMessage:
    """The chat message that answers from `article` in `lang` (nb, nn or en).

    Handoff answers end with the municipality's own contact from `deployment`.
    """
    text = article.text(lang)
    buttons = [b for slug in article.related if (b := topic_button(kb, slug, lang))]
    msg: ChatMessage = {
        "text": text.short,
        "kind": article.kind,
        "topic": article.slug,
        "lang": lang,
        "sources": [dict(s) for s in article.sources],
        "buttons": buttons,
        "links": [dict(link) for link in article.links],
        "version": article.version,
    }
    if article.kind == "handoff" and deployment is not None:
        contact = deployment.contact_text(lang)
        if contact:
            msg["text"] = f"{text.short} {contact}"
            msg["links"] = deployment.contact_links(lang) + msg["links"]
    if lang == "en" and article.kind == "answer":
        msg["buttons"] = [
            {"title": message("english_offer", "en"), "payload": topic_payload(article.slug, "nb")}
        ]
    elif text.body or text.steps:
        msg["details"] = {"title": text.title, "body": text.body, "steps": list(text.steps)}
    return msg


def system(name: str, lang: str, kind: str, **values: object) -> ChatMessage:
    """A message that answers from no topic (fallback, notices)."""
    return {
        "text": message(name, lang, **values),
        "kind": kind,
        "topic": None,
        "lang": lang,
        "sources": [],
        "buttons": [],
    }


def clarify(kb: KnowledgeBase, candidates: list[str], lang: str) -> ChatMessage:
    """Ask which of the likeliest topics the user meant, as buttons."""
    msg = system("clarify", lang, "clarify")
    msg["buttons"] = [b for slug in candidates if (b := topic_button(kb, slug, lang))]
    return msg


def fallback(kb: KnowledgeBase, user_text: str, lang: str) -> ChatMessage:
    """Could not tell what was asked: say so, and offer what search finds, if anything."""
    msg = system("fallback", lang, "fallback")
    hits = kb.search(user_text, limit=3) if user_text else []
    msg["buttons"] = [b for hit in hits if (b := topic_button(kb, hit.topic, lang))]
    return msg
