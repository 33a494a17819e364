"""The review queue: user turns ranked by how much a maintainer's look is needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final, Literal

from bot.review.annotation import Annotation
from bot.review.conversations import Conversation, Turn, day_start
from bot.topics import KNOWLEDGE_TOPICS

# Why a turn is in the queue, and how much each reason weighs.
WEIGHTS: Final[dict[str, float]] = {
    "fallback": 4.0,  # the model could not tell what was asked
    "thumbs_down": 3.0,  # the parent said the answer did not help
    "clarify": 3.0,  # the assistant had to ask which topic was meant
    "topic_change": 2.0,  # the parent asked about something else right after the answer
    "low_confidence": 1.0,
}
# Answered turns below this confidence are queued. On the linear classifier's scale
# (5-fold CV on the training data at production's fallback pair, `python -m
# bench.nlu.cutoffs --cv`): the lowest cut-off whose queue holds 60 % of the wrong
# answers; it queues 11 % of answered CV turns (157 of 254 wrong answers). On the other
# authors' sets left out in turn the same rule gives 0.44 (3.5 % queued, 14 of 23 wrong).
# (0.7 was DIET's scale.)
LOW_CONFIDENCE: Final = 0.45
# A new question within this many seconds of an answer suggests the answer missed.
TOPIC_CHANGE_WINDOW_S: Final = 180.0

Status = Literal["open", "reviewed", "all"]


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    topic: str | None = None
    lang: str | None = None
    max_confidence: float | None = None
    status: Status = "open"

    def window(self) -> tuple[float | None, float | None]:
        since = day_start(self.since) if self.since else None
        until = day_start(self.until + dt.timedelta(days=1)) if self.until else None
        return since, until


@dataclass(frozen=True)
class Vote:
    """A thumbs-down: which conversation, which answer's topic, when (Unix time)."""

    session_id: str
    topic: str | None
    at: float


@dataclass(frozen=True)
class Item:
    turn: Turn
    conversation: Conversation
    reasons: tuple[str, ...]
    score: float
    annotation: Annotation | None


def _voted_turn(conversation: Conversation, vote: Vote) -> Turn | None:
    """The turn whose answer got the vote: the latest before it with that topic."""
    before = [t for t in conversation.turns if t.timestamp <= vote.at + 1]
    matching = [t for t in before if vote.topic is None or t.answered_topic == vote.topic]
    candidates = matching or before
    return candidates[-1] if candidates else None


def reasons(conversation: Conversation, votes: Iterable[Vote] = ()) -> dict[str, list[str]]:
    """Reasons per message id, for every turn of `conversation` that has any."""
    found: dict[str, list[str]] = {}

    def add(turn: Turn, reason: str) -> None:
        if reason not in found.setdefault(turn.message_id, []):
            found[turn.message_id].append(reason)

    turns = conversation.turns
    for turn in turns:
        if turn.is_fallback:
            add(turn, "fallback")
        elif turn.confidence < LOW_CONFIDENCE and not turn.is_payload:
            add(turn, "low_confidence")
        if turn.reply_kind == "clarify":
            add(turn, "clarify")
    for answered, following in pairwise(turns):
        if (
            answered.reply_kind == "answer"
            and not following.is_payload
            and following.topic in KNOWLEDGE_TOPICS
            and following.topic != answered.answered_topic
            and following.timestamp - answered.timestamp <= TOPIC_CHANGE_WINDOW_S
        ):
            add(answered, "topic_change")
    for vote in votes:
        if (voted := _voted_turn(conversation, vote)) is not None:
            add(voted, "thumbs_down")
    return found


def _matches(turn: Turn, filters: Filters, annotation: Annotation | None) -> bool:
    since, until = filters.window()
    return (
        (since is None or turn.timestamp >= since)
        and (until is None or turn.timestamp < until)
        and (filters.topic is None or filters.topic in (turn.topic, turn.answered_topic))
        and (filters.lang is None or turn.lang == filters.lang)
        and (filters.max_confidence is None or turn.topic_confidence <= filters.max_confidence)
        and (filters.status == "all" or (filters.status == "open") == (annotation is None))
    )


def build(
    conversations: Sequence[Conversation],
    votes: Iterable[Vote],
    annotated: Mapping[str, Annotation],
    filters: Filters = Filters(),
) -> list[Item]:
    """Reviewable turns with at least one reason, most in need first.

    Crisis messages and tapped buttons are never in the queue: they are not exportable.
    """
    by_session: dict[str, list[Vote]] = {}
    for vote in votes:
        by_session.setdefault(vote.session_id, []).append(vote)
    items = []
    for conversation in conversations:
        found = reasons(conversation, by_session.get(conversation.sender_id, ()))
        for turn in conversation.turns:
            why = found.get(turn.message_id)
            annotation = annotated.get(turn.message_id)
            if why and turn.reviewable and _matches(turn, filters, annotation):
                score = sum(WEIGHTS[r] for r in why) + (1.0 - turn.topic_confidence)
                items.append(Item(turn, conversation, tuple(why), round(score, 4), annotation))
    return sorted(items, key=lambda i: (-i.score, i.turn.topic_confidence, -i.turn.timestamp))
