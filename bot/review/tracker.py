"""Read and prune Rasa's SQL tracker store through our own table definition.

Rasa (in the engine environment) writes the `events` table; we never import Rasa here,
and the review tools only ever read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, func, select
from sqlalchemy.engine import Engine

metadata = MetaData()

# Mirrors rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa 3.6).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _has_events_table(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return inspect(engine).has_table("events")


def delete_conversation(engine: Engine, sender_id: str) -> int:
    """Delete every event of one conversation; the number of events deleted."""
    if not _has_events_table(engine):
        return 0
    with engine.begin() as conn:
        return conn.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount


def purge_older_than(engine: Engine, days: int, now: dt.datetime | None = None) -> list[str]:
    """Delete conversations whose last event is older than `days`; their sender ids."""
    if not _has_events_table(engine):
        return []
    now = now or dt.datetime.now(dt.UTC)
    cutoff = (now - dt.timedelta(days=days)).timestamp()
    with engine.begin() as conn:
        stale = list(
            conn.scalars(
                select(events.c.sender_id)
                .group_by(events.c.sender_id)
                .having(func.max(events.c.timestamp) < cutoff)
            )
        )
        if stale:
            conn.execute(delete(events).where(events.c.sender_id.in_(stale)))
    return stale


def user_turns(engine: Engine, sender_id: str) -> list[str]:
    """The (redacted) texts a user sent in one conversation, in order."""
    import json

    if not _has_events_table(engine):
        return []
    with engine.connect() as conn:
        rows = conn.scalars(
            select(events.c.data)
            .where(events.c.sender_id == sender_id, events.c.type_name == "user")
            .order_by(events.c.id)
        )
        return [str(json.loads(data).get("text") or "") for data in rows]


class EventRow(NamedTuple):
    id: int
    sender_id: str
    type_name: str
    timestamp: float
    data: str


# The events the review tools read: what users said and what the assistant answered.
DIALOGUE_EVENTS: tuple[str, ...] = ("user", "bot")


def dialogue_events(
    engine: Engine,
    since: float | None = None,
    until: float | None = None,
    sender_ids: Sequence[str] | None = None,
) -> list[EventRow]:
    """User and bot events of every conversation with a user turn in [since, until).

    Whole conversations are returned, so that a turn can be shown in its context.
    """
    if not _has_events_table(engine):
        return []
    active = select(events.c.sender_id).where(events.c.type_name == "user")
    if since is not None:
        active = active.where(events.c.timestamp >= since)
    if until is not None:
        active = active.where(events.c.timestamp < until)
    if sender_ids is not None:
        active = active.where(events.c.sender_id.in_(list(sender_ids)))
    query = (
        select(
            events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data
        )
        .where(
            events.c.type_name.in_(DIALOGUE_EVENTS),
            events.c.sender_id.in_(active),
        )
        .order_by(events.c.sender_id, events.c.timestamp, events.c.id)
    )
    with engine.connect() as conn:
        return [
            EventRow(r.id, r.sender_id, r.type_name, float(r.timestamp or 0.0), r.data or "{}")
            for r in conn.execute(query)
        ]
