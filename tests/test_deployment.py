from __future__ import annotations

from pathlib import Path

import pytest

from bot import deployment
from bot.kb.store import KnowledgeBase
from bot.responder import Turn, respond


def test_the_shipped_settings_are_valid() -> None:
    settings = deployment.load(deployment.DEFAULT_FILE)
    assert settings.barnevern is not None


def test_handoff_answers_end_with_the_municipalitys_contact(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = tmp_path / "deployment.yml"
    path.write_text(
        "municipality: Prøvekommune\n"
        "barnevern:\n"
        "  name: Barnevernstjenesten i Prøvekommune\n"
        '  phone: "22 33 44 55"\n'
        "  opening_hours: {nb: hverdager 8–15, nn: kvardagar 8–15}\n"
        "  chat_url: https://prøve.example/chat\n"
    )
    settings = deployment.load(path)
    for slug in ("menneske", "utenfor_omfang.egen_sak"):
        msg = respond(kb, Turn(text="x", intent=slug, metadata={"lang": "nn"}), settings)
        assert "22 33 44 55" in msg["text"] and "kvardagar 8–15" in msg["text"]
        assert msg["links"][0]["url"] == "tel:22334455"
        assert {"title": "Chat – barnevern", "url": "https://prøve.example/chat"} in msg["links"]
    answer = respond(kb, Turn(text="x", intent="samvaer.plan"), settings)
    assert "22 33 44 55" not in answer["text"]


def test_without_a_contact_the_handoff_stays_general(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "deployment.yml"
    path.write_text("municipality: null\n")
    msg = respond(kb, Turn(text="x", intent="menneske"), deployment.load(path))
    article = kb.article("menneske")
    assert article is not None and msg["text"] == article.text("nb").short


@pytest.mark.parametrize(
    "content",
    ["barnevern: {name: X kommune, phone: ring meg}\n", "surprise: 1\n", "barnevern: [\n"],
)
def test_invalid_settings_name_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "deployment.yml"
    path.write_text(content)
    with pytest.raises(deployment.DeploymentError, match=r"deployment\.yml"):
        deployment.load(path)
