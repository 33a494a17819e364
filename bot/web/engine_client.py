"""HTTP client for the dialogue engine replicas (Rasa) and the action server.

Messages are spread over the engine replicas in turn. A message that fails on one
replica (connection refused, timeout, 5xx) is retried on the next — and, after a
timeout, round after round while `engine_timeout_s` lasts — with the same `message_id`; the engine's
channel processes a message id at most once (see `bot.engine.channel`), so a retry never
answers or stores a message twice. A replica that failed is tried last for `COOL_DOWN_S`.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from typing import Any

import aiohttp
import jwt

from bot.config import Settings

COOL_DOWN_S = 5.0
RETRY_PAUSE_S = 0.25


class EngineUnavailable(Exception):
    """No engine replica could process the message; nothing was answered."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.timed_out = timed_out


def engine_jwt(secret: str) -> str:
    """A token for Rasa's HTTP API (`rasa run --jwt-secret`)."""
    return jwt.encode({"user": {"username": "landsby-web", "role": "admin"}}, secret, "HS256")


class EngineClient:
    """Talks to Rasa's authenticated `landsby` channel and HTTP API on every replica."""

    def __init__(self, settings: Settings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session
        self._replicas = settings.engine_urls
        self._turn = itertools.count()
        self._failed_at: dict[str, float] = {}
        self._channel_auth = {"Authorization": f"Bearer {settings.engine_token}"}
        self._api_auth = {"Authorization": f"Bearer {engine_jwt(settings.engine_token)}"}

    def _order(self) -> list[str]:
        """Replicas to try for the next message: next in turn first, recent failures last."""
        start = next(self._turn) % len(self._replicas)
        turn = [*self._replicas[start:], *self._replicas[:start]]
        now = time.monotonic()
        cooling = [u for u in turn if now - self._failed_at.get(u, -COOL_DOWN_S) < COOL_DOWN_S]
        return [u for u in turn if u not in cooling] + cooling

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Process one user message; the engine's reply messages, in order."""
        payload = {
            "sender": sender,
            "message": text,
            "metadata": metadata,
            "message_id": uuid.uuid4().hex,
        }
        deadline = time.monotonic() + self._settings.engine_timeout_s
        order = self._order()
        errors: list[str] = []
        attempt, timed_out = 0, False
        while (remaining := deadline - time.monotonic()) > 0.05:
            replica = order[attempt % len(order)]
            # In the first round, share the time among the replicas still to try. Another
            # round only follows when a replica was alive but slow (e.g. waiting for the
            # conversation's lock); refusals and errors are answered at once.
            untried = max(len(order) - attempt, 1)
            try:
                replies = await self._post(replica, payload, remaining / untried)
            except EngineUnavailable as exc:
                self._failed_at[replica] = time.monotonic()
                errors.append(f"{replica}: {exc}")
                timed_out = timed_out or exc.timed_out
                attempt += 1
                if attempt % len(order) == 0:
                    if not timed_out:
                        break
                    timed_out = False
                    await asyncio.sleep(RETRY_PAUSE_S)
                continue
            self._failed_at.pop(replica, None)
            return replies
        raise EngineUnavailable("; ".join(errors[-len(order) :]) or "no time left")

    async def _post(
        self, replica: str, payload: dict[str, Any], timeout_s: float
    ) -> list[dict[str, Any]]:
        try:
            async with self._session.post(
                f"{replica}/webhooks/landsby/webhook",
                json=payload,
                headers=self._channel_auth,
                timeout=aiohttp.ClientTimeout(total=timeout_s),
            ) as resp:
                if resp.status != 200:
                    raise EngineUnavailable(f"engine answered {resp.status}")
                body = await resp.json()
        except TimeoutError as exc:
            raise EngineUnavailable(f"no answer within {timeout_s:.1f} s", timed_out=True) from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise EngineUnavailable(str(exc) or type(exc).__name__) from exc
        if not isinstance(body, list):
            raise EngineUnavailable("engine answered something other than a list")
        return [m for m in body if isinstance(m, dict)]

    async def _ok(self, url: str, headers: dict[str, str] | None = None) -> bool:
        try:
            async with self._session.get(
                url, headers=headers, timeout=aiohttp.ClientTimeout(total=2)
            ) as resp:
                return resp.status == 200
        except (TimeoutError, aiohttp.ClientError):
            return False

    async def engines_ready(self) -> dict[str, bool]:
        """Per replica: Rasa answers its authenticated status endpoint (a model is loaded)."""
        states = await asyncio.gather(
            *(self._ok(f"{url}/status", self._api_auth) for url in self._replicas)
        )
        return dict(zip(self._replicas, states, strict=True))

    async def actions_ready(self) -> bool:
        return await self._ok(f"{self._settings.action_url}/health")
