"""Which trained model is current: a pointer file, a promotion history, rollback.

    var/models/landsby-<hash>.tar.gz          trained by `landsby train` / a fresh install
    var/models/candidates/<name>.tar.gz       trained by `landsby retrain`
    var/models/<...>/<name>.metrics.json      held-out scores of that model
    var/models/CURRENT                        the promoted model (path relative to var/models)
    var/models/history.jsonl                  every promotion and rollback, who and why

Without CURRENT (a fresh install) the model named by the training-data hash is current.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import training
from bot.config import Settings

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
HISTORY = "history.jsonl"
CANDIDATES = "candidates"
SUFFIX = ".tar.gz"


class RegistryError(Exception):
    pass


def model_stem(model: Path) -> str:
    return model.name.removesuffix(SUFFIX)


def sidecar(model: Path, kind: str) -> Path:
    """`<name>.<kind>.json` next to a model, e.g. its metrics or its comparison."""
    return model.with_name(f"{model_stem(model)}.{kind}.json")


def _relative(settings: Settings, model: Path) -> str:
    return model.resolve().relative_to(settings.models_dir.resolve()).as_posix()


def current_model(settings: Settings) -> Path | None:
    """The promoted model named by var/models/CURRENT, when there is one and it exists."""
    pointer = settings.models_dir / POINTER
    if not pointer.exists():
        return None
    name = pointer.read_text().strip()
    model = (settings.models_dir / name).resolve()
    if not name or not model.is_relative_to(settings.models_dir.resolve()):
        logger.warning("ignoring %s: it names no model under %s", pointer, settings.models_dir)
        return None
    if not model.is_file():
        logger.warning("%s names %s, which does not exist", pointer, name)
        return None
    return model


def active_model(settings: Settings) -> Path:
    """The model the engine should serve: the promoted one, else the hash-named one."""
    return current_model(settings) or training.model_path(settings)


def _history(settings: Settings) -> list[dict[str, Any]]:
    path = settings.models_dir / HISTORY
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _record(settings: Settings, entry: dict[str, Any]) -> None:
    entry = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **entry}
    with (settings.models_dir / HISTORY).open("a") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def promoted(settings: Settings) -> list[str]:
    """Models promoted and not rolled back, oldest first (the last one is current)."""
    stack: list[str] = []
    for entry in _history(settings):
        if entry.get("action") == "promote":
            stack.append(str(entry["model"]))
        elif entry.get("action") == "rollback" and stack:
            stack.pop()
    return stack


def _point_to(settings: Settings, model: Path) -> None:
    pointer = settings.models_dir / POINTER
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(_relative(settings, model) + "\n")
    os.replace(tmp, pointer)


def promote(
    settings: Settings, model: Path, by: str, forced: bool = False, reasons: list[str] | None = None
) -> None:
    """Make `model` current. A forced promotion is logged with the gate's objections."""
    if not model.is_file():
        raise RegistryError(f"{model} does not exist")
    _relative(settings, model)  # must live under var/models
    if not promoted(settings):
        # Remember what served before the first promotion, so that rollback can return to it.
        before = active_model(settings)
        if before.is_file() and before.resolve() != model.resolve():
            _record(settings, {"action": "promote", "model": _relative(settings, before), "by": ""})
    _point_to(settings, model)
    _record(
        settings,
        {
            "action": "promote",
            "model": _relative(settings, model),
            "by": by,
            "forced": forced,
            "reasons": reasons or [],
        },
    )
    if forced:
        logger.warning(
            "%s forced the promotion of %s despite: %s", by, model.name, "; ".join(reasons or [])
        )


def rollback(settings: Settings, by: str) -> Path:
    """Make the previously promoted model current again; that model."""
    stack = promoted(settings)
    if len(stack) < 2:
        raise RegistryError("there is no earlier promoted model to roll back to")
    previous = settings.models_dir / stack[-2]
    if not previous.is_file():
        raise RegistryError(f"{previous} no longer exists")
    _point_to(settings, previous)
    _record(settings, {"action": "rollback", "model": stack[-2], "from": stack[-1], "by": by})
    return previous


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    name: str
    created: dt.datetime
    current: bool
    promoted: bool
    metrics: dict[str, Any] | None

    @property
    def summary(self) -> str:
        if not self.metrics:
            return "not evaluated"
        return f"accuracy {self.metrics['accuracy']:.3f}  macro-F1 {self.metrics['macro_f1']:.3f}"


def models(settings: Settings) -> list[ModelInfo]:
    """Every kept model, newest first."""
    current = active_model(settings).resolve()
    ever_promoted = set(promoted(settings))
    found = [*settings.models_dir.glob(f"*{SUFFIX}")]
    found += (settings.models_dir / CANDIDATES).glob(f"*{SUFFIX}")
    infos = []
    for path in found:
        metrics_file = sidecar(path, "metrics")
        infos.append(
            ModelInfo(
                path=path,
                name=_relative(settings, path),
                created=dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC),
                current=path.resolve() == current,
                promoted=_relative(settings, path) in ever_promoted,
                metrics=json.loads(metrics_file.read_text()) if metrics_file.exists() else None,
            )
        )
    return sorted(infos, key=lambda m: m.created, reverse=True)


def history(settings: Settings) -> list[dict[str, Any]]:
    """Promotions and rollbacks, newest first."""
    return list(reversed(_history(settings)))


def find(settings: Settings, name: str) -> Path:
    """A kept model by its name as `landsby models` lists it (or its file name)."""
    for info in models(settings):
        if name in (info.name, info.path.name, model_stem(info.path)):
            return info.path
    raise RegistryError(f"no model named {name} under {settings.models_dir}")


def load_into_engine(settings: Settings, model: Path, timeout: float = 300) -> str:
    """Ask every running engine replica to serve `model` (Rasa's `PUT /model`); what happened.

    Conversations live in the SQL tracker store, so none is lost by the switch.
    """
    from bot.web.engine_client import engine_jwt

    loaded, stopped = 0, 0
    for replica in settings.engine_urls:
        request = urllib.request.Request(
            f"{replica}/model",
            data=json.dumps({"model_file": str(model.resolve())}).encode(),
            method="PUT",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {engine_jwt(settings.engine_token)}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                loaded += 1
        except urllib.error.HTTPError as exc:
            raise RegistryError(f"the engine refused the model ({exc.code})") from exc
        except (urllib.error.URLError, OSError):
            stopped += 1
    if not loaded:
        return "the engine is not running; it will serve this model when started"
    if stopped:
        return (
            f"{loaded} running engine replica(s) now serve {model.name}; "
            f"{stopped} not running will serve it when started"
        )
    return f"the running engine now serves {model.name}"
