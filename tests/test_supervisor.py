from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.review.registry import POINTER
from bot.supervisor import children


def test_the_engine_binds_to_loopback_and_requires_credentials(settings: Settings) -> None:
    engine = next(c for c in children(settings, Path("m.tar.gz")) if c.name == "engine")
    argv = engine.argv
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
    assert "--enable-api" in argv and argv[argv.index("--jwt-secret") + 1] == settings.engine_token


def test_a_restarted_engine_loads_the_model_promoted_meanwhile(settings: Settings) -> None:
    started_on = settings.models_dir / "landsby-old.tar.gz"
    engine = next(c for c in children(settings, started_on) if c.name == "engine")
    assert engine.before_restart is not None
    engine.before_restart(engine)
    assert engine.argv[engine.argv.index("--model") + 1] == str(started_on)

    promoted = settings.models_dir / "candidates" / "landsby-new.tar.gz"
    promoted.parent.mkdir(parents=True)
    promoted.write_bytes(b"model")
    (settings.models_dir / POINTER).write_text("candidates/landsby-new.tar.gz")
    engine.before_restart(engine)
    assert engine.argv[engine.argv.index("--model") + 1] == str(promoted.resolve())
