"""The input channel the web app talks to: Rasa's REST channel, closed and honest.

Rasa's own `rest` channel accepts anyone who can reach the port and answers `200 []`
when processing fails, which silently loses the user's message. This channel requires
the shared bearer token and reports failures as `503`, so the web app can tell the user.

Each message carries a `message_id` chosen by the web app. Under the conversation's
lock (shared by all replicas through the lock store) a message whose id is already in
the tracker is not processed again: its stored replies are returned. So the web app may
safely retry a message on another replica after a timeout — it is processed exactly once.
"""

from __future__ import annotations

import hmac
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.engine import speedups

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(Exception):
    """The tracker store failed: the turn is refused instead of kept in memory."""


def _refuse(error: Exception) -> None:
    raise TrackerStoreUnavailable("the tracker store is unavailable") from error


def fail_closed(agent: Any) -> None:
    """Make the agent's tracker store fail closed.

    Rasa wraps every tracker store in a `FailSafeTrackerStore` that, when the database
    fails, starts an empty conversation or keeps the turn in memory and never writes it
    back: the user's message is lost silently. Its error callback runs inside the
    `except` block, so raising there turns each of those fallbacks into a failure that
    reaches the web app as 503 ("prøv igjen om litt"). Rasa saves a turn's events in one
    transaction, so nothing is half-stored.
    """
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _refuse


# How often a message waiting for its conversation's lock looks again (Rasa: 1 s).
LOCK_POLL_S = 0.05
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_REPLY_FIELDS = ("image", "buttons", "attachment", "custom")


def earlier_replies(tracker: DialogueStateTracker, message_id: str) -> list[dict[str, Any]] | None:
    """The bot's replies to the user message `message_id`; None if it is not in the tracker."""
    replies: list[dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if event.message_id == message_id:
                replies = []
        elif isinstance(event, BotUttered) and replies is not None:
            reply: dict[str, Any] = {"recipient_id": tracker.sender_id}
            if event.text is not None:
                reply["text"] = event.text
            reply.update({k: event.data[k] for k in _REPLY_FIELDS if event.data.get(k)})
            replies.append(reply)
    return replies


async def handle_once(agent: Any, message: UserMessage) -> list[dict[str, Any]]:
    """Process `message` unless its id was processed before; the replies either way.

    Takes the conversation's lock itself (instead of `Agent.handle_message`) so that the
    duplicate check and the processing happen under the same lock.
    """
    collector = message.output_channel
    assert isinstance(collector, CollectingOutputChannel)
    async with agent.lock_store.lock(message.sender_id, wait_time_in_seconds=LOCK_POLL_S):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        if tracker is not None:
            earlier = earlier_replies(tracker, message.message_id)
            if earlier is not None:
                logger.info("message %s was processed before; replaying", message.message_id)
                return earlier
        await agent.processor.handle_message(message)
    return list(collector.messages)


class LandsbyInput(InputChannel):
    """`POST /webhooks/landsby/webhook` with `Authorization: Bearer <token>`."""

    @classmethod
    def name(cls) -> str:
        return "landsby"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        token = (credentials or {}).get("token") or ""
        if len(token) < 16:
            raise ValueError("credentials.yml: the landsby channel needs a token of 16+ chars")
        speedups.install()  # the engine starts with this channel: a good place
        return cls(token)

    def __init__(self, token: str) -> None:
        self.token = token

    def _authorized(self, request: Request) -> bool:
        expected = f"Bearer {self.token}"
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), expected.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("landsby_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorized(request):
                return response.json({"error": "unauthorized"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            sender = body.get("sender")
            text = body.get("message")
            metadata = body.get("metadata")
            message_id = body.get("message_id") or uuid.uuid4().hex
            if not isinstance(sender, str) or not isinstance(text, str) or not text:
                return response.json({"error": "sender and message are required"}, 400)
            if not isinstance(message_id, str) or not _MESSAGE_ID.match(message_id):
                return response.json({"error": "message_id must be 8-64 of [A-Za-z0-9_-]"}, 400)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "no model loaded"}, status=503)
            fail_closed(agent)
            message = UserMessage(
                text,
                CollectingOutputChannel(),
                sender,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else None,
                message_id=message_id,
            )
            try:
                replies = await handle_once(agent, message)
            except Exception:
                logger.exception("Processing a message failed")
                return response.json({"error": "processing failed"}, status=503)
            return response.json(replies)

        return webhook
