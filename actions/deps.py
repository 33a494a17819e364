"""What the actions need, built once per action-server process on first use."""

from __future__ import annotations

from functools import lru_cache

from bot.config import Settings
from bot.db import make_engine
from bot.kb.store import KnowledgeBase


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase(make_engine(Settings.from_env().db_url))
