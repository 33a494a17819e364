"""One turn at a time per conversation, in the order the messages arrived.

A parent who sends a second message before the first is answered expects the answers in
that order. The web app therefore forwards a conversation's messages one after another
(`asyncio.Lock` wakes waiters first come, first served); the engines' shared lock store
keeps that order across engine replicas and for retries.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ConversationTurns:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    @asynccontextmanager
    async def turn(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._waiting[conversation_id] = self._waiting.get(conversation_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[conversation_id] -= 1
            if not self._waiting[conversation_id]:
                del self._waiting[conversation_id], self._locks[conversation_id]

    def __len__(self) -> int:
        """Conversations with a turn in progress or waiting (none are kept after)."""
        return len(self._locks)
