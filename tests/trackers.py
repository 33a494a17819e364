"""Fixture tracker stores: rows shaped exactly like those Rasa 3.6's SQL tracker store writes.

The JSON shapes are copied from a tracker.db left by the integration test (a real engine
answering through the web app): a session start, then per turn a `user` event with
`parse_data`, the `action_answer` action, a `bot` event whose `custom` payload carries
kind/topic/lang, slot events and `action_listen`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.topics import FALLBACK_INTENT

# As Rasa 3.6 creates it (SQLTrackerStore.SQLEvent).
CREATE_EVENTS = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER NOT NULL,
    sender_id VARCHAR(255) NOT NULL,
    type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT,
    intent_name VARCHAR(255),
    action_name VARCHAR(255),
    data TEXT,
    PRIMARY KEY (id)
)
"""
MODEL_META = {"model_id": "f6ad8cff9ea14e62b4aebf15ce376d16", "assistant_id": "landsby"}


class FakeTracker:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.begin() as conn:
            conn.execute(text(CREATE_EVENTS))
            conn.execute(
                text("CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)")
            )

    def insert(
        self,
        sender_id: str,
        type_name: str,
        at: float,
        data: dict[str, Any],
        intent_name: str | None = None,
        action_name: str | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                    "action_name, data) VALUES (:s, :t, :ts, :i, :a, :d)"
                ),
                {
                    "s": sender_id,
                    "t": type_name,
                    "ts": at,
                    "i": intent_name,
                    "a": action_name,
                    "d": json.dumps(data),
                },
            )

    def conversation(self, sender_id: str, start: float, lang: str = "nb") -> Conversation:
        return Conversation(self, sender_id, start, lang)


class Conversation:
    """Writes one conversation's events, a few seconds apart."""

    def __init__(self, tracker: FakeTracker, sender_id: str, start: float, lang: str) -> None:
        self.tracker = tracker
        self.sender_id = sender_id
        self.now = start
        self.lang = lang
        self._action("action_session_start", policy=None)
        self._event("session_started", {})
        self._action("action_listen", policy=None)

    def _tick(self, seconds: float = 0.01) -> float:
        self.now += seconds
        return self.now

    def _event(
        self,
        type_name: str,
        fields: dict[str, Any],
        intent_name: str | None = None,
        action_name: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        at = self._tick()
        data = {"event": type_name, "timestamp": at, "metadata": metadata or dict(MODEL_META)}
        data.update(fields)
        self.tracker.insert(self.sender_id, type_name, at, data, intent_name, action_name)

    def _action(self, name: str, policy: str | None = "RulePolicy") -> None:
        self._event(
            "action",
            {
                "name": name,
                "policy": policy,
                "confidence": 1.0,
                "action_text": None,
                "hide_rule_turn": policy is not None,
            },
            action_name=name,
        )

    def user(
        self,
        text: str,
        intent: str,
        confidence: float,
        ranking: list[tuple[str, float]] | None = None,
        guard: str | None = None,
        after: float = 20.0,
    ) -> str:
        """A user message, `after` seconds after the previous event; its message id."""
        self._tick(after)
        message_id = uuid.uuid4().hex
        ranking = ranking or [(intent, confidence)]
        if intent == FALLBACK_INTENT and ranking[0][0] != FALLBACK_INTENT:
            ranking = [(FALLBACK_INTENT, confidence), *ranking]
        metadata: dict[str, Any] = {"lang": self.lang}
        if guard:
            metadata["guard"] = guard
        self._event(
            "user",
            {
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "entities": [],
                    "text": text,
                    "message_id": message_id,
                    "metadata": metadata,
                    "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
                },
                "input_channel": "landsby",
                "message_id": message_id,
            },
            intent_name=intent,
            metadata=metadata | MODEL_META,
        )
        self._event("user_featurization", {"use_text_for_featurization": False})
        return message_id

    def bot(self, kind: str, topic: str | None, text: str = "Et svar.") -> None:
        """The assistant's reply through action_answer, as the action server sends it."""
        self._action("action_answer")
        custom = {
            "text": text,
            "kind": kind,
            "topic": topic,
            "lang": self.lang,
            "sources": [],
            "buttons": [],
        }
        self._event(
            "bot",
            {
                "text": None,
                "data": {
                    "elements": None,
                    "quick_replies": None,
                    "buttons": None,
                    "attachment": None,
                    "image": None,
                    "custom": custom,
                },
            },
        )
        self._event("slot", {"name": "topic", "value": topic}, action_name="topic")
        self._action("action_listen")
