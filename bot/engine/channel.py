"""The input channel the web app talks to: Rasa's REST channel, closed and honest.

Rasa's own `rest` channel accepts anyone who can reach the port and answers `200 []`
when processing fails, which silently loses the user's message. This channel requires
the shared bearer token and reports failures as `503`, so the web app can tell the user.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

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
            if not isinstance(sender, str) or not isinstance(text, str) or not text:
                return response.json({"error": "sender and message are required"}, 400)
            collector = CollectingOutputChannel()
            fail_closed(getattr(request.app.ctx, "agent", None))
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else None,
                    )
                )
            except Exception:
                logger.exception("Processing a message failed")
                return response.json({"error": "processing failed"}, status=503)
            return response.json(collector.messages)

        return webhook
