"""The app database (knowledge base, chat sessions): one declarative base, one engine factory."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    """An engine for the app database; SQLite connections may cross threads."""
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    return create_engine(url, pool_pre_ping=True)


def create_tables(engine: Engine) -> None:
    # Import the modules that define tables so that they are registered on Base.
    import bot.feedback
    import bot.kb.models
    import bot.review.annotation
    import bot.review.users
    import bot.sessions  # noqa: F401

    Base.metadata.create_all(engine)
