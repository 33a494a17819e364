from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.db import make_engine
from bot.kb import loader
from bot.kb.schema import LANGS
from bot.kb.store import KnowledgeBase
from bot.topics import ALL_TOPICS, KNOWLEDGE_TOPICS

KB_DIR = PROJECT_ROOT / "data" / "kb"


def test_every_topic_has_a_valid_article_in_every_language() -> None:
    articles = {a.slug: a for a in loader.read_articles(KB_DIR)}
    assert set(articles) == set(ALL_TOPICS)
    for slug in KNOWLEDGE_TOPICS:
        article = articles[slug]
        assert article.kind == "answer"
        assert article.sources, slug
        assert article.nb.body and article.nn.body, slug
        for lang in LANGS:
            assert getattr(article, lang).short, (slug, lang)


def test_crisis_articles_show_the_right_numbers_as_tel_links() -> None:
    articles = {a.slug: a for a in loader.read_articles(KB_DIR)}
    selvmord = {link.url for link in articles["krise.selvmord"].links}
    fare = {link.url for link in articles["krise.akutt_fare"].links}
    assert {"tel:113", "tel:116123", "tel:22400040", "tel:116117"} <= selvmord
    assert {"tel:112", "tel:113", "tel:116111", "tel:116006"} <= fare


def test_nynorsk_texts_are_not_bokmal() -> None:
    """A cheap guard against nynorsk that is bokmål with a few words swapped."""
    bokmal_only = {"ikke", "hva", "hvordan", "hvorfor", "jeg", "hjem", "fosterhjem"}
    for article in loader.read_articles(KB_DIR):
        words = set(f"{article.nn.short} {article.nn.body}".lower().replace(",", " ").split())
        assert not words & bokmal_only, (article.slug, words & bokmal_only)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target)
    return target


def test_loading_is_idempotent_and_keeps_served_versions(kb_copy: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    first = loader.load(engine, kb_copy)
    assert first.loaded == len(ALL_TOPICS)
    assert loader.load(engine, kb_copy).changed == ()

    kb = KnowledgeBase(engine)
    old = kb.article("samvaer.hyppighet")
    assert old is not None
    path = kb_copy / "samvaer.hyppighet.yml"
    data = yaml.safe_load(path.read_text())
    data["nb"]["short"] = "En ny og oppdatert kortversjon av svaret om samvær."
    path.write_text(yaml.safe_dump(data, allow_unicode=True))

    assert loader.load(engine, kb_copy).changed == ("samvaer.hyppighet",)
    new = kb.article("samvaer.hyppighet")
    assert new is not None and new.version != old.version
    assert new.text("nb").short.startswith("En ny og oppdatert")
    served = kb.served_version("samvaer.hyppighet", old.version)
    assert served is not None and served["nb"]["short"] == old.text("nb").short


def _break(kb_dir: Path, slug: str, edit: dict[str, object]) -> None:
    path = kb_dir / f"{slug}.yml"
    data = yaml.safe_load(path.read_text())
    data.update(edit)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"sources": []}, "needs at least one source"),
        ({"theme": "weather"}, "field 'theme'"),
        ({"reviewed": "last week"}, "field 'reviewed'"),
        ({"related": ["samvaer.finnes_ikke"]}, "field 'related'"),
        ({"sources": [{"title": "Usikker kilde", "url": "http://example.org"}]}, "sources.0.url"),
        ({"surprise": 1}, "field 'surprise'"),
    ],
)
def test_errors_name_the_file_and_the_field(
    kb_copy: Path, edit: dict[str, object], expected: str
) -> None:
    _break(kb_copy, "samvaer.tilsyn", edit)
    with pytest.raises(loader.KnowledgeBaseError) as error:
        loader.read_articles(kb_copy)
    assert "samvaer.tilsyn.yml" in str(error.value)
    assert expected in str(error.value)


def test_missing_nynorsk_is_an_error(kb_copy: Path) -> None:
    path = kb_copy / "samvaer.tilsyn.yml"
    data = yaml.safe_load(path.read_text())
    del data["nn"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(loader.KnowledgeBaseError, match=r"samvaer.tilsyn.yml: field 'nn'"):
        loader.read_articles(kb_copy)


def test_slug_must_match_file_name(kb_copy: Path) -> None:
    shutil.copy(kb_copy / "samvaer.tilsyn.yml", kb_copy / "samvaer.plan.yml")
    with pytest.raises(loader.KnowledgeBaseError, match="must equal the file name"):
        loader.read_articles(kb_copy)


def test_invalid_yaml_is_reported(kb_copy: Path) -> None:
    (kb_copy / "samvaer.plan.yml").write_text("slug: [unclosed\n")
    with pytest.raises(loader.KnowledgeBaseError, match=r"samvaer\.plan\.yml: not valid YAML"):
        loader.read_articles(kb_copy)


def test_a_failed_load_changes_nothing(kb_copy: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    loader.load(engine, kb_copy)
    before = KnowledgeBase(engine).article("samvaer.tilsyn")
    _break(kb_copy, "samvaer.tilsyn", {"sources": []})
    with pytest.raises(loader.KnowledgeBaseError):
        loader.load(engine, kb_copy)
    assert KnowledgeBase(engine).article("samvaer.tilsyn") == before
