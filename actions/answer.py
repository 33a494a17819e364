"""`action_answer`: every topic, the fallback and the clarifying question go through it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import knowledge_base
from bot import deployment
from bot.responder import Turn, respond


def turn_from_tracker(tracker: Tracker) -> Turn:
    latest: dict[str, Any] = tracker.latest_message or {}
    intent = (latest.get("intent") or {}).get("name")
    return Turn(
        text=latest.get("text") or "",
        intent=intent,
        ranking=latest.get("intent_ranking") or [],
        metadata=latest.get("metadata") or {},
        session_lang=tracker.get_slot("lang"),
        previous_topic=tracker.get_slot("topic"),
    )


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        message = respond(knowledge_base(), turn_from_tracker(tracker), deployment.load())
        dispatcher.utter_message(json_message=dict(message))
        return [
            SlotSet("topic", message.get("topic")),
            SlotSet("article_version", message.get("version")),
            SlotSet("lang", message.get("lang")),
        ]
