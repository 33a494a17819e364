"""Full-text search over the articles, Norwegian-aware (see `bot.kb.norwegian`).

SQLite's FTS5 does the indexing and BM25 ranking; the terms it indexes are our own
folded stems, synonyms and compound parts, so inflections and compounds match.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.kb import norwegian
from bot.kb.models import Article

_TITLE_WEIGHT = 4.0
_BODY_WEIGHT = 1.0


class UnsupportedDatabase(Exception):
    """Search needs SQLite with FTS5."""


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float


def _require_sqlite(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        raise UnsupportedDatabase(
            "knowledge-base search is implemented for SQLite (FTS5) only; "
            "set LANDSBY_DB_URL to a sqlite:/// URL"
        )


def index_exists(session: Session) -> bool:
    _require_sqlite(session)
    found = session.execute(
        text("SELECT name FROM sqlite_master WHERE type='table' AND name='kb_search'")
    ).first()
    return found is not None


def rebuild_index(session: Session) -> None:
    """Re-create the index from the article rows (cheap: a few dozen articles)."""
    _require_sqlite(session)
    session.execute(text("DROP TABLE IF EXISTS kb_search_vocab"))
    session.execute(text("DROP TABLE IF EXISTS kb_search"))
    session.execute(
        text(
            "CREATE VIRTUAL TABLE kb_search USING fts5("
            "slug UNINDEXED, lang UNINDEXED, title, content, tokenize='unicode61')"
        )
    )
    articles = list(session.scalars(select(Article)))
    corpus = [
        " ".join((t.title, t.short, t.body, " ".join(a.synonyms)))
        for a in articles
        for t in a.texts
    ]
    vocabulary = norwegian.vocabulary_of(corpus)
    for article in articles:
        for t in article.texts:
            if t.lang == "en":
                continue
            title = norwegian.terms(t.title, vocabulary)
            content = norwegian.terms(
                " ".join((t.short, t.body, " ".join(t.steps), " ".join(article.synonyms))),
                vocabulary,
            )
            session.execute(
                text(
                    "INSERT INTO kb_search (slug, lang, title, content) "
                    "VALUES (:slug, :lang, :title, :content)"
                ),
                {
                    "slug": article.slug,
                    "lang": t.lang,
                    "title": " ".join(title),
                    "content": " ".join(content),
                },
            )
    session.execute(text("CREATE VIRTUAL TABLE kb_search_vocab USING fts5vocab(kb_search, row)"))


def search(session: Session, query: str, limit: int = 10) -> list[Hit]:
    """Articles matching `query`, best first; nb and nn texts both count."""
    _require_sqlite(session)
    vocabulary = frozenset(session.scalars(text("SELECT term FROM kb_search_vocab")))
    query_terms = sorted({t for t in norwegian.terms(query, vocabulary) if t in vocabulary})
    if not query_terms:
        return []
    # Terms are [a-z0-9]+ after normalisation, so quoting them cannot inject FTS syntax.
    match = " OR ".join(f'"{t}"' for t in query_terms)
    rows = session.execute(
        text(
            "SELECT slug, bm25(kb_search, 0, 0, :tw, :bw) AS rank FROM kb_search "
            "WHERE kb_search MATCH :match ORDER BY rank"
        ),
        {"match": match, "tw": _TITLE_WEIGHT, "bw": _BODY_WEIGHT},
    )
    # One row per written standard; a topic ranks by its best text. (bm25 cannot be
    # aggregated in SQL, so this happens here; the table holds a few dozen rows.)
    best: dict[str, float] = {}
    for slug, rank in rows:
        best.setdefault(slug, -rank)
    return [Hit(topic=slug, score=round(score, 4)) for slug, score in best.items()][:limit]
