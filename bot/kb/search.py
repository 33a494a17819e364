"""Full-text search over the articles, Norwegian-aware (see `bot.kb.norwegian`).

Both backends index our own folded stems, synonyms and compound parts, so inflections,
compounds and old terms match the same way everywhere:
- SQLite: an FTS5 table ranked by BM25 (title weighted above the text);
- PostgreSQL: a `tsvector` column with a GIN index, built from the article text with
  the `norwegian` configuration plus our terms with `simple`, ranked by `ts_rank`
  (normalised by document length).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.kb import norwegian
from bot.kb.models import Article

_TITLE_WEIGHT = 4.0
_BODY_WEIGHT = 1.0
_PLAIN_WORD = re.compile(r"[^\W\d_]{2,}")


class UnsupportedDatabase(Exception):
    """Search needs SQLite (FTS5) or PostgreSQL."""


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float


@dataclass(frozen=True)
class _Document:
    slug: str
    lang: str
    title: str
    content: str
    title_terms: str
    content_terms: str


def _dialect(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise UnsupportedDatabase(f"knowledge-base search does not support {name}")
    return name


def index_exists(session: Session) -> bool:
    if _dialect(session) == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='kb_search_vocab'"
    else:
        query = "SELECT 1 FROM pg_tables WHERE tablename = 'kb_search_vocab'"
    return session.execute(text(query)).first() is not None


def _documents(session: Session) -> list[_Document]:
    """One document per article and written standard (the English summary is not indexed)."""
    articles = list(session.scalars(select(Article)))
    corpus = [
        " ".join((t.title, t.short, t.body, " ".join(a.synonyms)))
        for a in articles
        for t in a.texts
    ]
    vocabulary = norwegian.vocabulary_of(corpus)
    documents = []
    for article in articles:
        for t in article.texts:
            if t.lang == "en":
                continue
            content = " ".join((t.short, t.body, " ".join(t.steps), " ".join(article.synonyms)))
            documents.append(
                _Document(
                    slug=article.slug,
                    lang=t.lang,
                    title=t.title,
                    content=content,
                    title_terms=" ".join(norwegian.terms(t.title, vocabulary)),
                    content_terms=" ".join(norwegian.terms(content, vocabulary)),
                )
            )
    return documents


def rebuild_index(session: Session) -> None:
    """Re-create the index from the article rows (cheap: a few dozen articles)."""
    documents = _documents(session)
    if _dialect(session) == "sqlite":
        _rebuild_sqlite(session, documents)
    else:
        _rebuild_postgresql(session, documents)


def _rebuild_sqlite(session: Session, documents: list[_Document]) -> None:
    session.execute(text("DROP TABLE IF EXISTS kb_search_vocab"))
    session.execute(text("DROP TABLE IF EXISTS kb_search"))
    session.execute(
        text(
            "CREATE VIRTUAL TABLE kb_search USING fts5("
            "slug UNINDEXED, lang UNINDEXED, title, content, tokenize='unicode61')"
        )
    )
    for doc in documents:
        session.execute(
            text(
                "INSERT INTO kb_search (slug, lang, title, content) "
                "VALUES (:slug, :lang, :title, :content)"
            ),
            {
                "slug": doc.slug,
                "lang": doc.lang,
                "title": doc.title_terms,
                "content": doc.content_terms,
            },
        )
    session.execute(text("CREATE VIRTUAL TABLE kb_search_vocab USING fts5vocab(kb_search, row)"))


def _rebuild_postgresql(session: Session, documents: list[_Document]) -> None:
    session.execute(text("DROP TABLE IF EXISTS kb_search_vocab"))
    session.execute(text("DROP TABLE IF EXISTS kb_search"))
    session.execute(
        text("CREATE TABLE kb_search (slug text NOT NULL, lang text NOT NULL, document tsvector)")
    )
    for doc in documents:
        session.execute(
            text(
                "INSERT INTO kb_search (slug, lang, document) VALUES (:slug, :lang, "
                "setweight(to_tsvector('norwegian', :title), 'A') || "
                "setweight(to_tsvector('simple', :title_terms), 'A') || "
                "setweight(to_tsvector('norwegian', :content), 'D') || "
                "setweight(to_tsvector('simple', :content_terms), 'D'))"
            ),
            {
                "slug": doc.slug,
                "lang": doc.lang,
                "title": doc.title,
                "content": doc.content,
                "title_terms": doc.title_terms,
                "content_terms": doc.content_terms,
            },
        )
    session.execute(text("CREATE INDEX kb_search_document ON kb_search USING gin (document)"))
    session.execute(text("CREATE TABLE kb_search_vocab (term text PRIMARY KEY)"))
    terms = {t for doc in documents for t in f"{doc.title_terms} {doc.content_terms}".split()}
    if terms:
        session.execute(
            text("INSERT INTO kb_search_vocab (term) VALUES (:term)"),
            [{"term": term} for term in sorted(terms)],
        )


def search(session: Session, query: str, limit: int = 10) -> list[Hit]:
    """Articles matching `query`, best first; nb and nn texts both count."""
    dialect = _dialect(session)
    vocabulary = frozenset(session.scalars(text("SELECT term FROM kb_search_vocab")))
    query_terms = sorted({t for t in norwegian.terms(query, vocabulary) if t in vocabulary})
    if not query_terms:
        return []
    if dialect == "sqlite":
        rows = _rank_sqlite(session, query_terms)
    else:
        rows = _rank_postgresql(session, query_terms, query)
    # One row per written standard; a topic ranks by its best text.
    best: dict[str, float] = {}
    for slug, score in rows:
        best.setdefault(slug, float(score))
    return [Hit(topic=slug, score=round(score, 4)) for slug, score in best.items()][:limit]


def _rank_sqlite(session: Session, query_terms: list[str]) -> list[tuple[str, float]]:
    # Terms are [a-z0-9]+ after normalisation, so quoting them cannot inject FTS syntax.
    match = " OR ".join(f'"{t}"' for t in query_terms)
    rows = session.execute(
        text(
            "SELECT slug, bm25(kb_search, 0, 0, :tw, :bw) AS rank FROM kb_search "
            "WHERE kb_search MATCH :match ORDER BY rank"
        ),
        {"match": match, "tw": _TITLE_WEIGHT, "bw": _BODY_WEIGHT},
    )
    # bm25 is lower-is-better (and cannot be aggregated in SQL): negate it into a score.
    return [(slug, -rank) for slug, rank in rows]


def _rank_postgresql(
    session: Session, query_terms: list[str], raw_query: str
) -> list[tuple[str, float]]:
    words = [w.lower() for w in _PLAIN_WORD.findall(raw_query)]
    rows = session.execute(
        text(
            "SELECT slug, ts_rank(document, q, 1) * 10 AS score FROM kb_search, "
            "(SELECT to_tsquery('simple', :terms) || to_tsquery('norwegian', :words) AS q) AS x "
            "WHERE document @@ q ORDER BY score DESC"
        ),
        {"terms": " | ".join(query_terms), "words": " | ".join(words) or query_terms[0]},
    )
    return [(slug, score) for slug, score in rows]
