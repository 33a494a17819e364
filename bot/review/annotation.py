"""Maintainers' verdicts on user turns, kept in the app database (never in the tracker store)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Final

from sqlalchemy import DateTime, Float, Integer, String, Text, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base
from bot.review.conversations import Turn
from bot.topics import CONVERSATION_TOPICS, KNOWLEDGE_TOPICS

# confirmed/corrected become training data; the others say why a turn never will.
LABELS: Final = ("confirmed", "corrected", "new_topic", "not_question", "personal_data")
APPROVED: Final = ("confirmed", "corrected")
# Crisis topics are curated by hand and guarded deterministically: never learnt from logs.
TOPIC_CHOICES: Final = KNOWLEDGE_TOPICS + CONVERSATION_TOPICS


class AnnotationError(ValueError):
    pass


class Annotation(Base):
    __tablename__ = "review_annotation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[str] = mapped_column(String(255), index=True)
    text: Mapped[str] = mapped_column(Text)
    said_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    lang: Mapped[str | None] = mapped_column(String(2))
    predicted: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    reviewer: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    export_file: Mapped[str | None] = mapped_column(String(255))
    export_note: Mapped[str | None] = mapped_column(String(64))

    @property
    def approved(self) -> bool:
        return self.label in APPROVED and self.topic is not None


def annotate(
    engine: Engine, turn: Turn, label: str, reviewer: str, topic: str | None = None
) -> Annotation:
    """Record (or change) the verdict on one turn; refuses crisis turns and button taps."""
    if not turn.reviewable:
        raise AnnotationError("this message cannot be annotated (crisis or button)")
    if label == "confirmed":
        topic = turn.topic
        if topic not in TOPIC_CHOICES:
            raise AnnotationError("there is no predicted topic to confirm")
    elif label == "corrected":
        if topic not in TOPIC_CHOICES:
            raise AnnotationError("choose a topic from the list")
    elif label in LABELS:
        topic = None
    else:
        raise AnnotationError(f"unknown label {label!r}")
    now = dt.datetime.now(dt.UTC)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = session.scalar(select(Annotation).where(Annotation.message_id == turn.message_id))
        if row is not None and row.exported_at is not None:
            raise AnnotationError("already exported; change the training data file instead")
        if row is None:
            row = Annotation(message_id=turn.message_id)
            session.add(row)
        row.session_id = turn.sender_id
        row.text = turn.text
        row.said_at = dt.datetime.fromtimestamp(turn.timestamp, dt.UTC)
        row.lang = turn.lang
        row.predicted = turn.topic
        row.confidence = round(turn.topic_confidence, 4)
        row.label = label
        row.topic = topic
        row.reviewer = reviewer
        row.reviewed_at = now
    return row


def for_messages(engine: Engine, message_ids: Collection[str]) -> dict[str, Annotation]:
    if not message_ids:
        return {}
    with Session(engine) as session:
        rows = session.scalars(select(Annotation).where(Annotation.message_id.in_(message_ids)))
        return {row.message_id: row for row in rows}


def pending_export(engine: Engine) -> list[Annotation]:
    """Approved annotations that no export has handled yet, oldest first."""
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Annotation)
                .where(Annotation.label.in_(APPROVED), Annotation.exported_at.is_(None))
                .order_by(Annotation.id)
            )
        )


def mark_exported(
    engine: Engine, outcomes: Sequence[tuple[int, str | None, str | None]], when: dt.datetime
) -> None:
    """Record what an export did with each annotation: (id, file written, note)."""
    with Session(engine) as session, session.begin():
        for annotation_id, path, note in outcomes:
            row = session.get(Annotation, annotation_id)
            if row is not None:
                row.exported_at, row.export_file, row.export_note = when, path, note


def delete_for_sessions(engine: Engine, session_ids: Collection[str]) -> None:
    if not session_ids:
        return
    with engine.begin() as conn:
        conn.execute(delete(Annotation).where(Annotation.session_id.in_(list(session_ids))))
