"""Train the dialogue model only when its inputs changed (the model is named by their hash)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import Settings

# Everything that changes what `rasa train` produces. Custom NLU components, when there
# are any, belong in bot/engine/components/; the channel and tracker store do not count.
TRAINING_INPUTS = (
    "config.yml",
    "domain.yml",
    "data/nlu",
    "data/rules",
    "data/stories",
    "bot/engine/components",
)


class TrainingFailed(Exception):
    pass


def _files(root: Path, inputs: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for name in inputs:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix in {".yml", ".yaml", ".py", ".txt"}
            )
    return found


def training_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(root, TRAINING_INPUTS):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def model_name(root: Path) -> str:
    return f"landsby-{training_hash(root)}"


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"{model_name(settings.root)}.tar.gz"


@dataclass(frozen=True)
class TrainedModel:
    """A model and what building it took: wall-clock seconds (Rasa's start-up included)."""

    path: Path
    seconds: float
    megabytes: float


def engine_env(settings: Settings) -> dict[str, str]:
    """Environment for processes of the engine environment (rasa train / run / test).

    Rasa's training cache is off (`RASA_MAX_CACHE_SIZE=0`): it finds cached components by
    class, config and inputs, not by position, so after a component is removed from the
    pipeline a cached featurizer's output reached the linear classifier under another
    featurizer's name and every message failed with "dimension mismatch". The production
    pipeline trains from scratch in well under a minute, and every train time is cold.
    """
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(settings.root),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_MAX_CACHE_SIZE": "0",
            # A conversation's lock is given up after this many seconds, so that the
            # lock of a replica killed mid-message does not block its conversation for
            # Rasa's default 60 s; far above a message's processing time.
            "TICKET_LOCK_LIFETIME": os.environ.get("TICKET_LOCK_LIFETIME", "10"),
        }
        | settings.child_env()
    )
    return env


def rasa_bin(settings: Settings) -> Path:
    path = Path(os.environ.get("LANDSBY_ENGINE_VENV", settings.root / ".venv-engine")) / "bin/rasa"
    if not path.exists():
        raise TrainingFailed(
            f"{path} not found: run `make install` to create the engine environment"
        )
    return path


def train_command(settings: Settings, target: Path) -> list[str]:
    """`rasa train` writing the model to `target` (a .tar.gz path)."""
    return [
        str(rasa_bin(settings)),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "data/nlu",
        "data/rules",
        "data/stories",
        "--out",
        str(target.parent),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]


def train(settings: Settings, force: bool = False, out_dir: Path | None = None) -> Path:
    """The model for the current training data, training it first when it is missing."""
    target = model_path(settings)
    if out_dir is not None:
        target = out_dir / target.name
    if target.exists() and not force:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    return run_training(settings, train_command(settings, target), target).path


def run_training(settings: Settings, command: list[str], target: Path, **run: Any) -> TrainedModel:
    """Run a `rasa train` command that writes `target`, timed; `run` goes to subprocess.run."""
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=settings.root, env=engine_env(settings), check=False, **run
    )
    seconds = round(time.monotonic() - started, 1)
    if result.returncode != 0 or not target.exists():
        raise TrainingFailed(f"rasa train failed with exit code {result.returncode}")
    return TrainedModel(target, seconds, round(target.stat().st_size / 1e6, 2))
