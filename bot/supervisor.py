"""`landsby run`: load the knowledge base, train if needed, start and watch every process.

The engine and the action server run as child processes, each in its own process group
(so a signal reaches all of their own children) and with a parent-death signal (so they
never outlive a supervisor that was killed). The web app runs in this process.
SIGINT/SIGTERM stop everything within `STOP_TIMEOUT_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from aiohttp import web

from bot import training
from bot.config import Settings
from bot.db import make_engine
from bot.kb import loader
from bot.review.registry import current_model
from bot.web.app import create_app

logger = logging.getLogger("landsby.run")

STOP_TIMEOUT_S = 6.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    quick_exits: int = 0
    # Called before a restart, e.g. to start the engine on a model promoted meanwhile.
    before_restart: Callable[[Child], None] | None = None
    restarts: int = 0

    async def start(self, cwd: Path) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=cwd,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.started_at = time.monotonic()
        logger.info("started %s (pid %s), log: %s", self.name, self.process.pid, self.log_path)

    def signal_group(self, sig: signal.Signals) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, sig)

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.signal_group(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            logger.warning("%s did not stop in %.0f s; killing it", self.name, STOP_TIMEOUT_S)
            self.signal_group(signal.SIGKILL)
            await self.process.wait()


def _use_current_model(settings: Settings) -> Callable[[Child], None]:
    """A restarted engine loads the model promoted since it started, if there is one."""

    def update(child: Child) -> None:
        current = current_model(settings)
        if current is not None and current.exists():
            child.argv[child.argv.index("--model") + 1] = str(current)

    return update


def engine_child(settings: Settings, model: Path, port: int, name: str = "engine") -> Child:
    """One Rasa server (`rasa run`) on `port`, serving `model` behind our channel."""
    argv = [
        str(training.rasa_bin(settings)),
        "run",
        "--model",
        str(model),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
        "--interface",
        settings.internal_host,
        "--port",
        str(port),
        "--enable-api",
        # One argument: a generated token may start with "-", which argparse would
        # otherwise take for an option (the engine then refuses to start).
        f"--jwt-secret={settings.engine_token}",
        "--jwt-method",
        "HS256",
    ]
    return Child(
        name,
        argv,
        training.engine_env(settings),
        settings.var_dir / "logs" / f"{name}.log",
        before_restart=_use_current_model(settings),
    )


def children(settings: Settings, model: Path) -> list[Child]:
    """The action server and every engine replica (LANDSBY_ENGINE_REPLICAS)."""
    app_env = dict(os.environ) | settings.child_env()
    actions = [sys.executable, "-m", "bot", "actions"]
    replicas = settings.engine_replicas
    names = ["engine"] if replicas == 1 else [f"engine-{i + 1}" for i in range(replicas)]
    engines = [
        engine_child(settings, model, settings.engine_port + i, name)
        for i, name in enumerate(names)
    ]
    return [Child("actions", actions, app_env, settings.var_dir / "logs" / "actions.log"), *engines]


async def _announce_ready(settings: Settings) -> None:
    url = f"http://127.0.0.1:{settings.port}/healthz"
    async with aiohttp.ClientSession() as http:
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
                    if resp.status == 200:
                        print(
                            f"Landsby is ready: http://{settings.host}:{settings.port}/", flush=True
                        )
                        return
            await asyncio.sleep(1)


async def _watch(child: Child, cwd: Path, stop: asyncio.Event) -> None:
    """Restart a child that exits on its own; give up when it keeps dying at start."""
    while not stop.is_set():
        assert child.process is not None
        code = await child.process.wait()
        if stop.is_set():
            return
        lived = time.monotonic() - child.started_at
        child.quick_exits = child.quick_exits + 1 if lived < 60 else 0
        logger.error(
            "%s exited with %s after %.0f s; see %s", child.name, code, lived, child.log_path
        )
        if child.quick_exits >= 3:
            logger.error("%s keeps failing at start; stopping Landsby", child.name)
            stop.set()
            return
        await asyncio.sleep(2**child.quick_exits)
        if not stop.is_set():
            child.restarts += 1
            if child.before_restart is not None:
                child.before_restart(child)
            await child.start(cwd)


async def _train(settings: Settings, model: Path, stop: asyncio.Event) -> bool:
    """Train as a stoppable child; True when the model was written."""
    logger.info("training data changed; training %s (log: var/logs/train.log)", model.name)
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer = Child(
        "train",
        training.train_command(settings, model),
        training.engine_env(settings),
        settings.var_dir / "logs" / "train.log",
    )
    await trainer.start(settings.root)
    assert trainer.process is not None
    done = asyncio.create_task(trainer.process.wait())
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({done, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if stop.is_set():
        await trainer.stop()
        return False
    if trainer.process.returncode != 0 or not model.exists():
        logger.error(
            "training failed (exit %s); see %s", trainer.process.returncode, trainer.log_path
        )
        return False
    return True


async def supervise(settings: Settings) -> int:
    if settings.engine_endpoints:
        logger.error(
            "LANDSBY_ENGINE_URLS is for `landsby web` with engines run elsewhere; "
            "`landsby run` starts its own (LANDSBY_ENGINE_REPLICAS)"
        )
        return 2
    report = loader.load(make_engine(settings.db_url), settings.kb_dir)
    logger.info("knowledge base: %d articles, %d changed", report.loaded, len(report.changed))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    # A promoted model (var/models/CURRENT) wins; a fresh install trains by data hash.
    model = current_model(settings) or training.model_path(settings)
    if model.exists():
        logger.info("model is current: %s", model.name)
    elif not await _train(settings, model, stop):
        return 0 if stop.is_set() else 1

    procs = children(settings, model)
    runner = web.AppRunner(create_app(settings), shutdown_timeout=2.0, access_log=None)
    watchers: list[asyncio.Task[None]] = []
    ready: asyncio.Task[None] | None = None
    try:
        for child in procs:
            await child.start(settings.root)
        await runner.setup()
        await web.TCPSite(runner, settings.host, settings.port).start()
        logger.info(
            "web app on http://%s:%s/ (waiting for the engine)", settings.host, settings.port
        )
        watchers = [asyncio.create_task(_watch(c, settings.root, stop)) for c in procs]
        ready = asyncio.create_task(_announce_ready(settings))
        await stop.wait()
    finally:
        logger.info("stopping")
        stop.set()
        for task in [*watchers, *([ready] if ready else [])]:
            task.cancel()
        await asyncio.gather(
            runner.cleanup(), *(child.stop() for child in procs), return_exceptions=True
        )
    crashed = any(c.quick_exits >= 3 for c in procs)
    return 1 if crashed else 0
