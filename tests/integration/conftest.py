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
from sqlalchemy import create_engine, text

from bot import training
from bot.config import Settings
from tests.processes import APP_PYTHON, descendants, free_port, running, wait_for


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


def child_pid(landsby: Landsby, marker: str) -> int:
    """The process-group leader among Landsby's children whose command line has `marker`."""
    for pid in descendants(landsby.pid):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if marker in cmdline and os.getpgid(pid) == pid:
            return pid
    raise AssertionError(f"no child process running {marker!r}")


def wait_healthy(landsby: Landsby, timeout: float = 120) -> None:
    wait_for(f"{landsby.url}/healthz", timeout=timeout)


def tracker_events(tracker_url: str, session_id: str) -> list[dict[str, object]]:
    """The session's events as Rasa stored them, in order."""
    engine = create_engine(tracker_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": session_id},
            )
            return [dict(json.loads(data)) for (data,) in rows]
    finally:
        engine.dispose()


def user_texts(tracker_url: str, session_id: str) -> list[str]:
    return [str(e["text"]) for e in tracker_events(tracker_url, session_id) if e["event"] == "user"]
