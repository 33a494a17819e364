"""Read access to the knowledge base, shared by the actions, the chat and the FAQ."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.kb import search
from bot.kb.models import Article, ArticleVersion


@dataclass(frozen=True)
class Text:
    title: str
    short: str
    body: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ArticleView:
    slug: str
    theme: str
    kind: str
    version: str
    reviewed: dt.date
    related: tuple[str, ...]
    sources: tuple[dict[str, str], ...]
    links: tuple[dict[str, str], ...]
    texts: dict[str, Text]

    def text(self, lang: str) -> Text:
        """The text in `lang`, or bokmål when that standard is missing."""
        return self.texts.get(lang) or self.texts["nb"]


def _view(row: Article) -> ArticleView:
    return ArticleView(
        slug=row.slug,
        theme=row.theme,
        kind=row.kind,
        version=row.version,
        reviewed=row.reviewed,
        related=tuple(row.related),
        sources=tuple(row.sources),
        links=tuple(row.links),
        texts={
            t.lang: Text(title=t.title, short=t.short, body=t.body, steps=tuple(t.steps))
            for t in row.texts
        },
    )


class KnowledgeBase:
    """Articles and search, over one SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def article(self, slug: str) -> ArticleView | None:
        with Session(self.engine) as session:
            row = session.get(Article, slug)
            return _view(row) if row is not None else None

    def articles(self) -> list[ArticleView]:
        with Session(self.engine) as session:
            rows = session.scalars(select(Article).order_by(Article.slug))
            return [_view(row) for row in rows]

    def search(self, query: str, limit: int = 10) -> list[search.Hit]:
        with Session(self.engine) as session:
            return search.search(session, query, limit)

    def served_version(self, slug: str, version: str) -> dict[str, Any] | None:
        """The exact content of an article version that was once served."""
        with Session(self.engine) as session:
            row = session.get(ArticleVersion, (slug, version))
            return dict(row.content) if row is not None else None
