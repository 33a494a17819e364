"""Conversations as the review tools see them: user turns, what the model made of them,
and what the assistant answered. Built from Rasa's tracker events, read-only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import Engine

from bot.review import tracker
from bot.safety import crisis
from bot.topics import CRISIS_TOPICS, FALLBACK_INTENT

try:
    LOCAL_TZ: dt.tzinfo = ZoneInfo("Europe/Oslo")
except ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data
    LOCAL_TZ = dt.UTC


def local_time(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, LOCAL_TZ)


def day_start(day: dt.date) -> float:
    """The Unix time at which `day` starts in Norway."""
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).timestamp()


@dataclass(frozen=True)
class Reply:
    text: str
    kind: str | None
    topic: str | None


@dataclass(frozen=True)
class Turn:
    """One user message and the assistant's replies to it."""

    event_id: int
    sender_id: str
    message_id: str
    timestamp: float
    text: str
    intent: str | None
    confidence: float
    # The likeliest real topic: the intent, or the fallback's best guess.
    topic: str | None
    topic_confidence: float
    lang: str | None
    crisis: bool
    replies: tuple[Reply, ...]

    @property
    def time(self) -> dt.datetime:
        return local_time(self.timestamp)

    @property
    def is_payload(self) -> bool:
        """A button the user tapped ("/slug"), not something they wrote."""
        return self.text.startswith("/")

    @property
    def is_fallback(self) -> bool:
        return self.intent == FALLBACK_INTENT

    @property
    def reply_kind(self) -> str | None:
        return next((r.kind for r in self.replies if r.kind), None)

    @property
    def answered_topic(self) -> str | None:
        return next((r.topic for r in self.replies if r.topic), None)

    @property
    def reviewable(self) -> bool:
        """Can be annotated and exported: written by the user and not about a crisis."""
        return bool(self.text.strip()) and not self.is_payload and not self.crisis


@dataclass(frozen=True)
class Conversation:
    sender_id: str
    turns: tuple[Turn, ...]

    @property
    def started(self) -> dt.datetime:
        return self.turns[0].time

    @property
    def last(self) -> dt.datetime:
        return self.turns[-1].time


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user_turn(row: tracker.EventRow, data: dict[str, Any]) -> Turn:
    parse_data = _dict(data.get("parse_data"))
    intent = _dict(parse_data.get("intent"))
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    ranking = [_dict(r) for r in parse_data.get("intent_ranking") or []]
    guess = next((r for r in ranking if r.get("name") not in (None, FALLBACK_INTENT)), None)
    if name and name != FALLBACK_INTENT:
        topic, topic_confidence = str(name), confidence
    elif guess is not None:
        topic, topic_confidence = str(guess["name"]), float(guess.get("confidence") or 0.0)
    else:
        topic, topic_confidence = None, 0.0
    metadata = _dict(data.get("metadata"))
    text = str(data.get("text") or "")
    # The web app's guard flags crises before the model; check again, in case it changed.
    is_crisis = (
        bool(metadata.get("guard"))
        or name in CRISIS_TOPICS
        or topic in CRISIS_TOPICS
        or crisis.detect(text) is not None
    )
    return Turn(
        event_id=row.id,
        sender_id=row.sender_id,
        message_id=str(data.get("message_id") or parse_data.get("message_id") or f"e{row.id}"),
        timestamp=row.timestamp,
        text=text,
        intent=str(name) if name else None,
        confidence=confidence,
        topic=topic,
        topic_confidence=topic_confidence,
        lang=metadata.get("lang") if isinstance(metadata.get("lang"), str) else None,
        crisis=is_crisis,
        replies=(),
    )


def _reply(data: dict[str, Any]) -> Reply:
    custom = _dict(_dict(data.get("data")).get("custom"))
    text = custom.get("text") or data.get("text") or ""
    kind, topic = custom.get("kind"), custom.get("topic")
    return Reply(
        text=str(text),
        kind=kind if isinstance(kind, str) else None,
        topic=topic if isinstance(topic, str) else None,
    )


def _conversation(sender_id: str, rows: Iterable[tracker.EventRow]) -> Conversation | None:
    turns: list[Turn] = []
    replies: list[Reply] = []
    for row in rows:
        try:
            data = _dict(json.loads(row.data))
        except json.JSONDecodeError:
            continue
        if row.type_name == "user":
            if turns:
                turns[-1] = _with_replies(turns[-1], replies)
            turns.append(_user_turn(row, data))
            replies = []
        elif row.type_name == "bot" and turns:
            replies.append(_reply(data))
    if not turns:
        return None
    turns[-1] = _with_replies(turns[-1], replies)
    return Conversation(sender_id, tuple(turns))


def _with_replies(turn: Turn, replies: list[Reply]) -> Turn:
    return replace(turn, replies=tuple(replies))


def parse(rows: Iterable[tracker.EventRow]) -> list[Conversation]:
    """Conversations from event rows ordered by sender and time; newest conversation first."""
    found = [
        c
        for sender, group in groupby(rows, key=lambda r: r.sender_id)
        if (c := _conversation(sender, group)) is not None
    ]
    return sorted(found, key=lambda c: c.turns[-1].timestamp, reverse=True)


def load(
    tracker_db: Engine,
    since: float | None = None,
    until: float | None = None,
    sender_ids: Sequence[str] | None = None,
) -> list[Conversation]:
    """Every conversation with a user turn in [since, until), newest first."""
    return parse(tracker.dialogue_events(tracker_db, since, until, sender_ids))


def find(tracker_db: Engine, sender_id: str) -> Conversation | None:
    found = load(tracker_db, sender_ids=[sender_id])
    return found[0] if found else None
