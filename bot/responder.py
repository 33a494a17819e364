"""Decide what to answer for one classified user turn (used by the Rasa action)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import answers
from bot.deployment import Deployment
from bot.kb.schema import LANGS
from bot.kb.store import KnowledgeBase
from bot.topics import ALL_TOPICS, CRISIS_TOPICS, FALLBACK_INTENT, KNOWLEDGE_TOPICS, theme_of

# Cut-offs on the linear classifier's probabilities (docs/nlu.md explains each choice).
# When the fallback fires, topics at least this likely are offered as choices: the
# largest cut-off that still offers the right topic almost as often as three buttons would
# (5-fold CV on the training data at production's fallback pair, `python -m
# bench.nlu.cutoffs --cv`; the other authors' sets left out in turn hold too few unsure
# turns to say).
CLARIFY_MIN_CONFIDENCE = 0.07


@dataclass(frozen=True)
class Turn:
    """What the engine knows about the latest user message."""

    text: str
    intent: str | None
    ranking: Sequence[Mapping[str, Any]] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    session_lang: str | None = None
    previous_topic: str | None = None

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


# Short messages that lean on the previous answer: "og hva med søsken?", "hvor sender jeg
# det da?", "kva med besteforeldra?", "what about grandparents?".
_FOLLOW_UP = re.compile(
    r"^\W*(og|men|enn|hva med|kva med|ka med|what about|and)\b|\b(det|dette|den|dit|der|da|"
    r"då|sånn|slik|it|that)\W*$",
    re.IGNORECASE,
)
# "det", "den", "dit": the message refers to what was just answered.
_BACK_REFERENCE = re.compile(r"\b(det|dette|den|dit|der|sånn|slik|it|that)\b", re.IGNORECASE)
FOLLOW_UP_MAX_WORDS = 8
FOLLOW_UP_MIN_CONFIDENCE = 0.05
# A follow-up read on its own is unsure below this confidence even when no fallback
# fired. On questions by other authors, each set predicted by a model trained without it
# (data/nlu/other_authors/, `python -m bench.nlu.cutoffs`), messages of at most
# FOLLOW_UP_MAX_WORDS words whose top topic was below 0.5 were right 83 % of the time
# (18 messages), from 0.5 to 0.6 93 % (14), above 0.6 all but one of 665: a message that
# points back ("hvor sender jeg det da?") read below 0.5 on its own is read in the
# previous topic.
FOLLOW_UP_UNSURE_BELOW = 0.5


def is_follow_up(text: str) -> bool:
    return len(text.split()) <= FOLLOW_UP_MAX_WORDS and bool(_FOLLOW_UP.search(text))


def _in_context(turn: Turn) -> str | None:
    """For a follow-up, the likely topic that fits the conversation so far, if any.

    A plausible prediction in the same theme wins ("og hva med søsken?" after an answer
    about visits). The previous topic comes next when the model still finds it plausible,
    or when the model is unsure (a fallback, or a top topic below FOLLOW_UP_UNSURE_BELOW)
    and the message points back ("hvor sender jeg det da?" after an answer about
    complaints). Then another plausible topic of the same theme; and when the model
    could not tell at all (a fallback), the previous topic.
    """
    previous = turn.previous_topic
    if not previous or previous not in KNOWLEDGE_TOPICS or not is_follow_up(turn.text):
        return None
    ranked = _ranked(turn)
    plausible = [n for n, c in ranked[:3] if c >= FOLLOW_UP_MIN_CONFIDENCE]
    if turn.intent in plausible and theme_of(str(turn.intent)) == theme_of(previous):
        return str(turn.intent)
    fallback = turn.intent == FALLBACK_INTENT
    unsure = fallback or not ranked or ranked[0][1] < FOLLOW_UP_UNSURE_BELOW
    if previous in plausible or (unsure and _BACK_REFERENCE.search(turn.text)):
        return previous
    same_theme = next((n for n in plausible if theme_of(n) == theme_of(previous)), None)
    return previous if same_theme is None and fallback else same_theme


def choose_topic(turn: Turn) -> str | None:
    """The topic to answer from, or None when the assistant should ask or admit it."""
    if turn.guard:
        return turn.guard
    ranked = _ranked(turn)
    # A crisis topic the model ranks first wins even when the model is unsure: a crisis
    # answer to a worried parent costs little, a clarifying question to someone in danger
    # a lot. (On CV no cut-off above zero missed fewer crises; it only saved one or two
    # false alarms.) The web app's deterministic guard runs before any model regardless.
    if ranked and ranked[0][0] in CRISIS_TOPICS:
        return ranked[0][0]
    if (in_context := _in_context(turn)) is not None:
        return in_context
    if turn.intent in ALL_TOPICS:
        return turn.intent
    return None


def respond(
    kb: KnowledgeBase, turn: Turn, deployment: Deployment | None = None
) -> answers.ChatMessage:
    """The message that answers `turn`."""
    slug = choose_topic(turn)
    if slug is not None:
        article = kb.article(slug)
        if article is not None:
            return answers.from_article(kb, article, turn.lang, deployment)
    if turn.intent == FALLBACK_INTENT:
        candidates = [
            name
            for name, confidence in _ranked(turn)
            if confidence >= CLARIFY_MIN_CONFIDENCE and name not in CRISIS_TOPICS
        ][:3]
        if candidates:
            return answers.clarify(kb, candidates, turn.lang)
    return answers.fallback(kb, turn.text, turn.lang)
