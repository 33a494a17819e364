from __future__ import annotations

from bot import training
from bot.config import Settings


def test_training_never_reuses_rasas_cache(settings: Settings) -> None:
    # With the cache, removing a pipeline component produced a model that failed every
    # message ("dimension mismatch" in the linear classifier); see engine_env.
    assert training.engine_env(settings)["RASA_MAX_CACHE_SIZE"] == "0"
