"""Fixtures: an app database, and a tracker store holding the review scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import create_tables, make_engine
from tests.processes import free_port
from tests.review.scenario import Scenario, build_scenario


@pytest.fixture
def app_db(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'landsby.db'}")
    create_tables(engine)
    return engine


@pytest.fixture
def tracker_db(tmp_path: Path) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")


@pytest.fixture
def scenario(tracker_db: Engine, app_db: Engine) -> Scenario:
    return build_scenario(tracker_db, app_db)


@pytest.fixture
def no_engine(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose engine port answers nobody (loading into the engine is skipped)."""
    monkeypatch.setenv("LANDSBY_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("LANDSBY_ENGINE_PORT", str(free_port()))
    return Settings.from_env()
