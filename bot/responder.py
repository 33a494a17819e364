"""Decide what to answer for one classified user turn (used by the Rasa action)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import answers
from bot.kb.schema import LANGS
from bot.kb.store import KnowledgeBase
from bot.topics import ALL_TOPICS, CRISIS_TOPICS, FALLBACK_INTENT

# Below the fallback threshold, topics at least this likely are offered as choices.
CLARIFY_MIN_CONFIDENCE = 0.12
# A crisis topic this likely wins even when the model is unsure: err on the side of help.
CRISIS_MIN_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Turn:
    """What the engine knows about the latest user message."""

    text: str
    intent: str | None
    ranking: Sequence[Mapping[str, Any]] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    session_lang: str | None = None

    @property
    def lang(self) -> str:
        lang = self.metadata.get("lang") or self.session_lang
        return lang if lang in LANGS else "nb"

    @property
    def guard(self) -> str | None:
        """The crisis topic the web app's deterministic guard found, if any."""
        guard = self.metadata.get("guard")
        return guard if guard in CRISIS_TOPICS else None


def _ranked(turn: Turn) -> list[tuple[str, float]]:
    return [
        (str(r["name"]), float(r.get("confidence") or 0.0))
        for r in turn.ranking
        if r.get("name") in ALL_TOPICS
    ]


def choose_topic(turn: Turn) -> str | None:
    """The topic to answer from, or None when the assistant should ask or admit it."""
    if turn.guard:
        return turn.guard
    if turn.intent in ALL_TOPICS:
        return turn.intent
    ranked = _ranked(turn)
    if ranked and ranked[0][0] in CRISIS_TOPICS and ranked[0][1] >= CRISIS_MIN_CONFIDENCE:
        return ranked[0][0]
    return None


def respond(kb: KnowledgeBase, turn: Turn) -> answers.ChatMessage:
    """The message that answers `turn`."""
    slug = choose_topic(turn)
    if slug is not None:
        article = kb.article(slug)
        if article is not None:
            return answers.from_article(kb, article, turn.lang)
    if turn.intent == FALLBACK_INTENT:
        candidates = [
            name
            for name, confidence in _ranked(turn)
            if confidence >= CLARIFY_MIN_CONFIDENCE and name not in CRISIS_TOPICS
        ][:3]
        if candidates:
            return answers.clarify(kb, candidates, turn.lang)
    return answers.fallback(kb, turn.text, turn.lang)
