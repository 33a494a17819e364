"""A real Landsby for integration tests and benchmarks: a var/ holding the current model,
`landsby run` on free ports, and what they look at afterwards (processes, tracker store)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


def landsby_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `landsby run` on free ports using `var_dir`; `extra` wins."""
    return (
        dict(os.environ)
        | {
            "LANDSBY_VAR_DIR": str(var_dir),
            "LANDSBY_PORT": str(free_port()),
            "LANDSBY_ENGINE_PORT": str(free_port()),
            "LANDSBY_ACTION_PORT": str(free_port()),
            "LANDSBY_RATE_PER_MINUTE": "1000",
        }
        | extra
    )


def fresh_var(var: Path) -> Path:
    """`var` emptied, holding only the model for the current training data (trained if new)."""
    model = training.train(Settings.from_env())
    shutil.rmtree(var, ignore_errors=True)
    (var / "models").mkdir(parents=True)
    shutil.copy(model, var / "models" / model.name)
    return var


@contextlib.contextmanager
def run_landsby(var_dir: Path, **extra_env: str) -> Iterator[Landsby]:
    """`landsby run` on free ports; ready (healthz 200) when yielded, killed afterwards."""
    env = landsby_env(var_dir, **extra_env)
    with running([str(APP_PYTHON), "-m", "bot", "run"], env, var_dir / "run.log") as proc:
        settings = Settings.from_env(env)
        url = f"http://127.0.0.1:{settings.port}"
        wait_for(f"{url}/healthz", timeout=240, proc=proc)
        yield Landsby(proc.pid, url, settings, env)


def child_pid(root_pid: int, marker: str) -> int:
    """The process-group leader below `root_pid` whose command line has `marker`."""
    for pid in descendants(root_pid):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        if marker in cmdline and os.getpgid(pid) == pid:
            return pid
    raise AssertionError(f"no child process running {marker!r}")


def wait_healthy(landsby: Landsby, timeout: float = 120) -> None:
    wait_for(f"{landsby.url}/healthz", timeout=timeout)


def wait_replicas(url: str, replicas: int, timeout: float = 240) -> None:
    """Wait until `/healthz` at `url` reports every one of `replicas` engine replicas up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError, ValueError),
            urllib.request.urlopen(f"{url}/healthz", timeout=3) as response,
        ):
            states = json.loads(response.read()).get("engine_replicas", {})
            if list(states.values()) == ["ok"] * replicas:
                return
        time.sleep(1)
    raise TimeoutError(f"{replicas} engine replicas not all up within {timeout} s")


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
