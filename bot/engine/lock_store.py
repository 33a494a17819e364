"""Rasa's ticket lock store, chosen by one URL (`LANDSBY_LOCK_STORE_URL`), made safe.

`memory://` (the default) keeps locks inside one engine process, which is enough for a
single engine. Several engine replicas must share a Redis server —
`redis://[user:password@]host[:port][/db]` (`rediss://` for TLS) — so that messages
to one conversation are processed one at a time, in the order they arrived, whichever
replica receives them.

Rasa 3.6's lock stores keep Rasa's ticket-lock format but have two flaws that break
"exactly once, in order" with several replicas, both fixed here:

- `RedisLockStore` updates a lock by read-modify-write without a transaction, so two
  replicas issuing a ticket at the same moment can both get the same number (and both
  process at once). Here every change is one Redis transaction (WATCH/MULTI).
- A ticket expires `TICKET_LOCK_LIFETIME` seconds after it was *issued*, also while it
  is still waiting in the queue: behind a slow or dead holder the waiting tickets expire
  together and the next message starts while another still runs. Here a waiting ticket
  is renewed each time its owner looks, and the served one when it is served, so only
  the tickets of a process that died (or hung) expire.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import WatchError

KEY_PREFIX = "landsby"
T = TypeVar("T")


class LiveTicketLocks(LockStore):
    """Ticket locks whose every change is atomic and whose live tickets do not expire."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the conversation's lock atomically; its result."""
        raise NotImplementedError

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def _my_turn(self, conversation_id: str, ticket: int, lifetime: float) -> bool:
        def renew(lock: TicketLock) -> bool:
            lock.remove_expired_tickets()
            mine = next((t for t in lock.tickets if t.number == ticket), None)
            if mine is None:
                raise LockError(f"ticket {ticket} for '{conversation_id}' expired while waiting")
            mine.expires = time.time() + lifetime
            return bool(lock.tickets[0].number == ticket)

        return self._change(conversation_id, renew)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while not self._my_turn(conversation_id, ticket, lock_lifetime):
                await asyncio.sleep(wait_time_in_seconds)
            yield self.get_lock(conversation_id) or TicketLock(conversation_id)
        finally:
            self.cleanup(conversation_id, ticket)


class MemoryLocks(LiveTicketLocks, InMemoryLockStore):
    """One process: a change without `await` in between is already atomic."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        lock = self.get_lock(conversation_id) or TicketLock(conversation_id)
        result = change(lock)
        if lock.tickets:
            self.save_lock(lock)
        else:
            self.delete_lock(conversation_id)
        return result


class RedisLocks(LiveTicketLocks, RedisLockStore):
    """Rasa's Redis lock store (same keys and format) with transactional changes."""

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock(conversation_id)
                    if raw:
                        lock = TicketLock.from_dict(json.loads(raw))
                    result = change(lock)
                    pipe.multi()
                    if lock.tickets:
                        pipe.set(key, lock.dumps())
                    else:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except WatchError:
                    continue  # another replica changed the lock meanwhile: read it again


def from_url(url: str | None) -> LockStore:
    """The lock store a URL names; a clear error for anything else."""
    if not url or url == "memory://":
        return MemoryLocks()
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"lock store URL must be memory:// or redis://…, not {parts.scheme}://")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise ValueError(f"lock store URL: the database must be a number, not {db!r}")
    return RedisLocks(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(db),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=KEY_PREFIX,
    )


class LandsbyLockStore(LockStore):
    """`lock_store: {type: bot.engine.lock_store.LandsbyLockStore, url: …}` in endpoints.yml."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        self.store = from_url(endpoint_config.url if endpoint_config else None)
        super().__init__()

    def lock(self, conversation_id: str, *args: Any, **kwargs: Any) -> Any:
        return self.store.lock(conversation_id, *args, **kwargs)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self.store.issue_ticket(conversation_id, lock_lifetime)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self.store.cleanup(conversation_id, ticket_number)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)
