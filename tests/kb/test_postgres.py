"""The knowledge base and its search on PostgreSQL (full-text search, Norwegian config)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import PROJECT_ROOT
from bot.db import make_engine
from bot.kb import loader
from bot.kb.store import KnowledgeBase
from bot.topics import ALL_TOPICS
from tests.kb.test_search import QUERIES
from tests.postgres import temporary_postgres


@pytest.fixture(scope="module")
def pg_kb() -> Iterator[KnowledgeBase]:
    with temporary_postgres() as server:
        engine = make_engine(server.url)
        report = loader.load(engine, PROJECT_ROOT / "data" / "kb")
        assert report.loaded == len(ALL_TOPICS)
        yield KnowledgeBase(engine)
        engine.dispose()


def test_loading_twice_changes_nothing(pg_kb: KnowledgeBase) -> None:
    assert loader.load(pg_kb.engine, PROJECT_ROOT / "data" / "kb").changed == ()


def test_articles_read_the_same_as_on_sqlite(pg_kb: KnowledgeBase, kb: KnowledgeBase) -> None:
    assert pg_kb.article("samvaer.tilsyn") == kb.article("samvaer.tilsyn")


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_expected_topic_in_top_three(pg_kb: KnowledgeBase, query: str, expected: str) -> None:
    top = [hit.topic for hit in pg_kb.search(query, limit=3)]
    assert expected in top, top


@pytest.mark.parametrize("query", ["' OR 1=1 --", "a & | ! :*", "ÆØÅ", "og i på"])
def test_query_syntax_is_harmless(pg_kb: KnowledgeBase, query: str) -> None:
    pg_kb.search(query)
    assert pg_kb.article("samvaer.tilsyn") is not None
