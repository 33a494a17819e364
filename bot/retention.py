"""Deleting conversations: on a user's request, and after the retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from bot import feedback
from bot.review import annotation, tracker
from bot.sessions import ChatSession, SessionStore


def delete_session(app_db: Engine, tracker_db: Engine, session_id: str) -> int:
    """Delete one session everywhere it is stored; the number of tracker events deleted."""
    events = tracker.delete_conversation(tracker_db, session_id)
    feedback.delete_for_session(app_db, session_id)
    annotation.delete_for_sessions(app_db, [session_id])
    SessionStore(app_db).delete(session_id)
    return events


def purge(app_db: Engine, tracker_db: Engine, days: int) -> int:
    """Delete conversations idle for more than `days`; how many were deleted."""
    stale = set(tracker.purge_older_than(tracker_db, days))
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with app_db.begin() as conn:
        idle = set(conn.scalars(select(ChatSession.id).where(ChatSession.last_seen < cutoff)))
    for session_id in stale | idle:
        feedback.delete_for_session(app_db, session_id)
    annotation.delete_for_sessions(app_db, stale | idle)
    with app_db.begin() as conn:
        conn.execute(delete(ChatSession).where(ChatSession.id.in_(stale | idle)))
    return len(stale | idle)
