"""Read and validate `data/kb/*.yml`, and build the SQL tables from them.

Loading is idempotent: an unchanged file keeps its version; a changed one gets a new
version while every earlier version stays in `kb_article_version`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.db import create_tables
from bot.kb import search
from bot.kb.models import Article, ArticleText, ArticleVersion
from bot.kb.schema import LANGS, ArticleFile


class KnowledgeBaseError(Exception):
    """The article files are invalid; the message names each file and field."""


@dataclass(frozen=True)
class LoadReport:
    loaded: int
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def _format_errors(path: Path, error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(file)"
        lines.append(f"{path}: field '{field}': {item['msg']}")
    return lines


def read_articles(kb_dir: Path) -> list[ArticleFile]:
    """Parse and validate every article file; raise one error listing all problems."""
    problems: list[str] = []
    articles: list[ArticleFile] = []
    paths = sorted(kb_dir.glob("*.yml"))
    if not paths:
        raise KnowledgeBaseError(f"{kb_dir}: no article files (*.yml) found")
    for path in paths:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{path}: not valid YAML: {exc}")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{path}: expected a mapping at the top level")
            continue
        try:
            article = ArticleFile.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_format_errors(path, exc))
            continue
        if article.slug != path.stem:
            problems.append(f"{path}: field 'slug': {article.slug!r} must equal the file name")
            continue
        articles.append(article)
    known = {a.slug for a in articles}
    for article in articles:
        missing = [slug for slug in article.related if slug not in known]
        if missing:
            problems.append(
                f"{kb_dir / (article.slug + '.yml')}: field 'related': no article for {missing}"
            )
    if problems:
        raise KnowledgeBaseError("\n".join(problems))
    return articles


def version_of(article: ArticleFile) -> str:
    """A content hash: the same text always has the same version."""
    canonical = json.dumps(article.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _row(article: ArticleFile, version: str) -> Article:
    row = Article(
        slug=article.slug,
        theme=article.theme,
        kind=article.kind,
        version=version,
        reviewed=article.reviewed,
        related=list(article.related),
        synonyms=list(article.synonyms),
        sources=[s.model_dump() for s in article.sources],
        links=[link.model_dump() for link in article.links],
    )
    for lang in LANGS:
        text: Any = getattr(article, lang)
        row.texts.append(
            ArticleText(
                lang=lang,
                title=text.title,
                short=text.short,
                body=getattr(text, "body", ""),
                steps=list(getattr(text, "steps", ())),
            )
        )
    return row


def load(engine: Engine, kb_dir: Path) -> LoadReport:
    """Validate the files and make the database match them, in one transaction."""
    articles = read_articles(kb_dir)
    create_tables(engine)
    now = dt.datetime.now(dt.UTC)
    changed: list[str] = []
    with Session(engine) as session, session.begin():
        current = {a.slug: a.version for a in session.scalars(select(Article))}
        for article in articles:
            version = version_of(article)
            if current.get(article.slug) == version:
                continue
            changed.append(article.slug)
            existing = session.get(Article, article.slug)
            if existing is not None:
                session.delete(existing)
                session.flush()
            session.add(_row(article, version))
            if session.get(ArticleVersion, (article.slug, version)) is None:
                session.add(
                    ArticleVersion(
                        slug=article.slug,
                        version=version,
                        content=article.model_dump(mode="json"),
                        first_loaded=now,
                    )
                )
        removed = sorted(set(current) - {a.slug for a in articles})
        if removed:
            session.execute(delete(Article).where(Article.slug.in_(removed)))
        if changed or removed or not search.index_exists(session):
            search.rebuild_index(session)
    return LoadReport(loaded=len(articles), changed=tuple(changed), removed=tuple(removed))
