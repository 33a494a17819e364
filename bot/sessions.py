"""Chat sessions: the opaque id a browser holds, and what we remember about it.

Only the written standard and whether the privacy notice was shown; the conversation
itself lives in the engine's tracker store.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Boolean, DateTime, String, delete
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{22,64}\Z")  # \Z: "$" would accept a final newline


class ChatSession(Base):
    __tablename__ = "chat_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lang: Mapped[str] = mapped_column(String(2), default="nb")
    lang_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy_noticed: Mapped[bool] = mapped_column(Boolean, default=False)


@dataclass
class SessionState:
    id: str
    lang: str | None
    privacy_noticed: bool
    is_new: bool
    lang_chosen: bool = False


def new_session_id() -> str:
    """An unguessable id: 192 random bits."""
    return secrets.token_urlsafe(24)


class SessionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, session_id: str | None) -> SessionState:
        """The session for `session_id`, or a new one when it is unknown or missing.

        An unknown id is replaced by a fresh server-made one: clients cannot choose ids.
        """
        if session_id:
            with Session(self.engine) as session:
                row = session.get(ChatSession, session_id)
                if row is not None:
                    return SessionState(
                        row.id,
                        row.lang,
                        row.privacy_noticed,
                        is_new=False,
                        lang_chosen=row.lang_chosen,
                    )
        return SessionState(new_session_id(), None, False, is_new=True)

    def save(self, state: SessionState) -> None:
        now = dt.datetime.now(dt.UTC)
        with Session(self.engine) as session, session.begin():
            row = session.get(ChatSession, state.id)
            if row is None:
                row = ChatSession(id=state.id, created=now)
                session.add(row)
            row.last_seen = now
            row.lang = state.lang or "nb"
            row.privacy_noticed = state.privacy_noticed
            row.lang_chosen = state.lang_chosen

    def delete(self, session_id: str) -> bool:
        with Session(self.engine) as session, session.begin():
            result = session.execute(delete(ChatSession).where(ChatSession.id == session_id))
            return bool(cast(CursorResult[Any], result).rowcount)
