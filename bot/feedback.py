"""Thumbs up/down on answers, kept for the maintainers' review queue."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import DateTime, Integer, String, delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base

Value = Literal["up", "down"]


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    topic: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[str | None] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(4))
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def record(
    engine: Engine, session_id: str, topic: str | None, version: str | None, value: Value
) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            Feedback(
                session_id=session_id,
                topic=topic,
                version=version,
                value=value,
                created=dt.datetime.now(dt.UTC),
            )
        )


def delete_for_session(engine: Engine, session_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(Feedback).where(Feedback.session_id == session_id))
