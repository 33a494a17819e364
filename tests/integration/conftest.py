"""Shared pieces of the integration tests: a var/ with the current model, a running Landsby."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import training
from bot.config import Settings
from tests.processes import APP_PYTHON, free_port, running, wait_for


@dataclass
class Landsby:
    pid: int
    url: str
    settings: Settings
    env: dict[str, str]

    def send(self, message: str, session_id: str | None = None) -> tuple[int, dict[str, object]]:
        """POST /api/chat; the status and body, also for error statuses."""
        try:
            return 200, self.chat(message, session_id)
        except urllib.error.HTTPError as error:
            return error.code, dict(json.loads(error.read()))

    def health(self) -> tuple[int, dict[str, object]]:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=10) as response:
                return int(response.status), dict(json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return error.code, dict(json.loads(error.read()))

    def chat(self, message: str, session_id: str | None = None) -> dict[str, object]:
        body: dict[str, object] = {"message": message}
        if session_id:
            body["session_id"] = session_id
        request = urllib.request.Request(
            f"{self.url}/api/chat",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(json.loads(response.read()))


def start_env(var_dir: Path) -> dict[str, str]:
    return dict(os.environ) | {
        "LANDSBY_VAR_DIR": str(var_dir),
        "LANDSBY_PORT": str(free_port()),
        "LANDSBY_ENGINE_PORT": str(free_port()),
        "LANDSBY_ACTION_PORT": str(free_port()),
        "LANDSBY_RATE_PER_MINUTE": "1000",
    }


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh var/ holding only the model for the current training data."""
    model = training.train(Settings.from_env())
    var = tmp_path_factory.mktemp("landsby") / "var"
    (var / "models").mkdir(parents=True)
    shutil.copy(model, var / "models" / model.name)
    return var


@contextlib.contextmanager
def run_landsby(var_dir: Path, **extra_env: str) -> Iterator[Landsby]:
    """`landsby run` on free ports; ready (healthz 200) when yielded, killed afterwards."""
    env = start_env(var_dir) | extra_env
    with running([str(APP_PYTHON), "-m", "bot", "run"], env, var_dir / "run.log") as proc:
        settings = Settings.from_env(env)
        url = f"http://127.0.0.1:{settings.port}"
        wait_for(f"{url}/healthz", timeout=240, proc=proc)
        yield Landsby(proc.pid, url, settings, env)


@pytest.fixture(scope="module")
def landsby(var_dir: Path) -> Iterator[Landsby]:
    with run_landsby(var_dir) as running_landsby:
        yield running_landsby
