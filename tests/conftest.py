"""Shared fixtures: settings on a temporary var/ and a knowledge base loaded from data/kb."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.db import make_engine
from bot.kb import loader
from bot.kb.store import KnowledgeBase


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"LANDSBY_VAR_DIR": str(tmp_path / "var")})


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    db = tmp_path_factory.mktemp("kb") / "landsby.db"
    engine = make_engine(f"sqlite:///{db}")
    loader.load(engine, PROJECT_ROOT / "data" / "kb")
    return KnowledgeBase(engine)
