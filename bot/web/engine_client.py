"""HTTP client for the dialogue engine (Rasa) and the action server, on loopback."""

from __future__ import annotations

from typing import Any

import aiohttp
import jwt

from bot.config import Settings


class EngineUnavailable(Exception):
    """The engine could not process the message; nothing was answered."""


def engine_jwt(secret: str) -> str:
    """A token for Rasa's HTTP API (`rasa run --jwt-secret`)."""
    return jwt.encode({"user": {"username": "landsby-web", "role": "admin"}}, secret, "HS256")


class EngineClient:
    """Talks to Rasa's authenticated `landsby` channel and HTTP API."""

    def __init__(self, settings: Settings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session
        self._channel_auth = {"Authorization": f"Bearer {settings.engine_token}"}
        self._api_auth = {"Authorization": f"Bearer {engine_jwt(settings.engine_token)}"}

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Process one user message; the engine's reply messages, in order."""
        url = f"{self._settings.engine_url}/webhooks/landsby/webhook"
        timeout = aiohttp.ClientTimeout(total=self._settings.engine_timeout_s)
        try:
            async with self._session.post(
                url,
                json={"sender": sender, "message": text, "metadata": metadata},
                headers=self._channel_auth,
                timeout=timeout,
            ) as resp:
                if resp.status != 200:
                    raise EngineUnavailable(f"engine answered {resp.status}")
                body = await resp.json()
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
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

    async def engine_ready(self) -> bool:
        """Rasa answers its authenticated status endpoint (so a model is loaded)."""
        return await self._ok(f"{self._settings.engine_url}/status", self._api_auth)

    async def actions_ready(self) -> bool:
        return await self._ok(f"{self._settings.action_url}/health")
