"""Sliding-window rate limits per key (session id, client address), in memory."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

from bot.messages import message
from bot.web.errors import json_error


class RateLimiter:
    """At most `limit` events per `window_s` seconds for each key."""

    def __init__(
        self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def hit(self, key: str) -> float:
        """Record an event; 0 when allowed, else the seconds to wait before retrying."""
        now = self._clock()
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_s:
            events.popleft()
        if len(events) >= self.limit:
            return max(1.0, math.ceil(events[0] + self.window_s - now))
        events.append(now)
        if len(self._events) > 50_000:
            self._forget_idle(now)
        return 0.0

    def refuse(self, *keys: str) -> web.Response | None:
        """Record an event for each key; a 429 with Retry-After when any is over its limit."""
        wait = max(self.hit(key) for key in keys)
        return too_many(wait) if wait else None

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window_s]
        for key in idle:
            del self._events[key]


def too_many(wait: float) -> web.Response:
    """429 with the seconds to wait, in a sentence and in Retry-After."""
    return json_error(429, message("rate_limited"), headers={"Retry-After": str(int(wait))})


def client_address(request: web.Request) -> str:
    return request.remote or "unknown"
