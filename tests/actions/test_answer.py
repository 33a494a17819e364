"""action_answer on recorded trackers, as in Rasa's financial-demo tests."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import answer
from bot.kb.store import KnowledgeBase


def tracker(text: str, intent: str, metadata: dict[str, Any] | None = None) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.93},
        "intent_ranking": [{"name": intent, "confidence": 0.93}],
        "entities": [],
        "metadata": metadata or {},
    }
    return Tracker(
        sender_id="test-session",
        slots={"topic": None, "article_version": None, "lang": None},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture(autouse=True)
def use_test_kb(monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> None:
    monkeypatch.setattr(answer, "knowledge_base", lambda: kb)


async def test_answers_the_topic_and_records_the_served_version(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    events = await answer.ActionAnswer().run(
        dispatcher, tracker("Hvem er med på samværet?", "samvaer.tilsyn", {"lang": "nb"}), {}
    )
    article = kb.article("samvaer.tilsyn")
    assert article is not None
    assert events == [
        SlotSet("topic", "samvaer.tilsyn"),
        SlotSet("article_version", article.version),
        SlotSet("lang", "nb"),
    ]
    [said] = dispatcher.messages
    custom = said["custom"]
    assert custom["topic"] == "samvaer.tilsyn" and custom["kind"] == "answer"
    assert custom["text"] == article.text("nb").short
    assert custom["sources"] == list(article.sources)


async def test_nynorsk_metadata_gives_a_nynorsk_answer(kb: KnowledgeBase) -> None:
    dispatcher = CollectingDispatcher()
    events = await answer.ActionAnswer().run(
        dispatcher, tracker("kva er familieråd", "tilbakeforing.familierad", {"lang": "nn"}), {}
    )
    article = kb.article("tilbakeforing.familierad")
    assert article is not None
    assert dispatcher.messages[0]["custom"]["text"] == article.text("nn").short
    assert SlotSet("lang", "nn") in events


async def test_fallback_sets_no_topic() -> None:
    dispatcher = CollectingDispatcher()
    events = await answer.ActionAnswer().run(dispatcher, tracker("blørp", "nlu_fallback"), {})
    assert dispatcher.messages[0]["custom"]["kind"] == "fallback"
    assert SlotSet("topic", None) in events
