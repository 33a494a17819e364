"""SQL tables built from the article files. Never edited by hand: rebuilt by the loader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base


class Article(Base):
    """The current version of one topic's article."""

    __tablename__ = "kb_article"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    theme: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(16))
    reviewed: Mapped[dt.date] = mapped_column(Date)
    related: Mapped[list[str]] = mapped_column(JSON)
    synonyms: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    texts: Mapped[list[ArticleText]] = relationship(
        back_populates="article", cascade="all, delete-orphan", lazy="selectin"
    )


class ArticleText(Base):
    """An article's text in one written standard (nb, nn) or the English summary (en)."""

    __tablename__ = "kb_article_text"

    slug: Mapped[str] = mapped_column(
        ForeignKey("kb_article.slug", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    short: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    article: Mapped[Article] = relationship(back_populates="texts")


class ArticleVersion(Base):
    """Every version ever served, so a conversation log can show the exact text."""

    __tablename__ = "kb_article_version"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_loaded: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
