from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bot.config import Settings
from bot.review.registry import POINTER
from bot.supervisor import children, engine_child
from tests.engine.test_components import run_engine

# Rasa's own command-line parser, on the engine's argv (prints what it understood).
PARSE_RASA_RUN = """
import json, sys
from rasa.__main__ import create_argument_parser
args = create_argument_parser().parse_args(json.loads(sys.argv[1]))
print(json.dumps({"jwt_secret": args.jwt_secret, "port": args.port}))
"""


def test_the_engine_binds_to_loopback_and_requires_credentials(settings: Settings) -> None:
    engine = next(c for c in children(settings, Path("m.tar.gz")) if c.name == "engine")
    argv = engine.argv
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
    assert "--enable-api" in argv and f"--jwt-secret={settings.engine_token}" in argv


def test_rasa_reads_a_token_that_starts_with_a_dash(settings: Settings) -> None:
    token = "-" + "x" * 42
    engine = engine_child(dataclasses.replace(settings, engine_token=token), Path("m"), 5005)
    parsed = run_engine(PARSE_RASA_RUN, json.dumps(engine.argv[1:]))
    assert parsed == {"jwt_secret": token, "port": 5005}


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
