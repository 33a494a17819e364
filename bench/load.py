"""Open-loop load benchmark: Landsby's /api/chat next to a bare Rasa server, same run.

    .venv/bin/python bench/load.py [--duration 20] [--rates 5,10,20,30,35,40,50,60]

Messages arrive on schedule whatever the latency (open loop), spread over many
conversations with realistic turns; latency counts from the scheduled time. Each system
is stepped through the rates until p95 passes 500 ms or errors appear. Landsby runs with
its real engine, action server and SQLite tracker store; afterwards every answered turn
is looked up in the tracker store (a missing one is a lost message). The anchor is a
bare Rasa 3.6 server (bench/bare_rasa: `rasa init`'s bot, static responses, in-memory
tracker). Results: var/bench/load-<time>.json and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import training  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.landsby import fresh_var, landsby_env  # noqa: E402
from tests.processes import free_port  # noqa: E402

BENCH_VAR = ROOT / "var" / "bench"
# Limits out of the way, quiet logs: what every benchmarked Landsby runs with.
BENCH_ENV = {"LANDSBY_RATE_PER_MINUTE": "1000000", "LANDSBY_LOG_LEVEL": "WARNING"}
P95_LIMIT_MS = 500.0
LANDSBY_TURNS = [
    "Hei",
    "Hvor ofte får jeg se barnet mitt?",
    "Hvem er det som er med under samværet?",
    "Hva må jeg vise for å få henne hjem?",
    "Hvordan foregår et familieråd?",
    "Kva er utviklingstrappen?",
    "Finnes det noen som hjelper foreldre som meg?",
    "Takk for hjelpa",
]
BARE_TURNS = ["hello", "I am sad", "yes", "are you a bot?", "great", "bye"]

Send = Callable[[aiohttp.ClientSession, int, int], Awaitable[bool]]


@dataclass
class Step:
    rate: float
    offered: int
    ok: int
    errors: int
    throughput: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    lost: int = 0


@dataclass
class SystemResult:
    name: str
    steps: list[Step] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    ready_s: float = 0.0

    @property
    def saturation(self) -> float | None:
        good = [s.rate for s in self.steps if s.p95_ms <= P95_LIMIT_MS and s.errors == 0]
        return max(good) if good else None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def warm_up(send: Send, n: int = 12) -> None:
    """A few sequential turns first: the first ones pay for graph and cache warm-up."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        for i in range(n):
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                await send(http, 10_000 + i % 3, i)


async def open_loop(
    send: Send, rate: float, duration: float, conversations: int | None = None
) -> Step:
    """Offer `rate` msg/s for `duration` s; each conversation speaks every ~4 s."""
    total = int(rate * duration)
    conversations = conversations or max(10, int(rate * 4))
    latencies: list[float] = []
    errors = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
        start = time.monotonic() + 0.5

        async def one(i: int) -> None:
            nonlocal errors
            scheduled = start + i / rate
            await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
            conversation, turn = i % conversations, i // conversations
            try:
                ok = await send(http, conversation, turn)
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                latencies.append((time.monotonic() - scheduled) * 1000)
            else:
                errors += 1

        await asyncio.gather(*(one(i) for i in range(total)))
        elapsed = time.monotonic() - start
    return Step(
        rate=rate,
        offered=total,
        ok=len(latencies),
        errors=errors,
        throughput=round(len(latencies) / elapsed, 2),
        p50_ms=round(statistics.median(latencies), 1) if latencies else float("nan"),
        p95_ms=round(percentile(latencies, 0.95), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
    )


def rss_mb(pids: dict[str, int]) -> dict[str, float]:
    result = {}
    for name, pid in pids.items():
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    result[name] = round(int(line.split()[1]) / 1024, 1)
    return result


def children_of(pid: int) -> dict[str, int]:
    found = {"supervisor+web": pid}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found["engine" if "rasa" in cmd else "actions"] = int(entry.name)
    return found


def wait_http(url: str, timeout: float) -> float:
    import urllib.request

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=3) as resp:
            if resp.status == 200:
                return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError(url)


@contextlib.contextmanager
def process(argv: list[str], env: dict[str, str], log: Path, cwd: Path) -> Iterator[int]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def lost_turns(tracker_db: Path, sent: list[tuple[str, str]]) -> int:
    with sqlite3.connect(tracker_db) as conn:
        stored = {
            (sender, json.loads(data).get("text"))
            for sender, data in conn.execute(
                "SELECT sender_id, data FROM events WHERE type_name = 'user'"
            )
        }
    return sum((sender, text) not in stored for sender, text in sent)


async def bench_landsby(rates: list[float], duration: float) -> SystemResult:
    var = fresh_var(BENCH_VAR / "landsby-var")
    env = landsby_env(var, **BENCH_ENV)
    result = SystemResult("landsby")
    url = f"http://127.0.0.1:{env['LANDSBY_PORT']}"
    with process([sys.executable, "-m", "bot", "run"], env, BENCH_VAR / "landsby.log", ROOT) as pid:
        result.ready_s = round(wait_http(f"{url}/healthz", 300), 1)
        for rate in rates:
            sessions: dict[int, str] = {}
            sent: list[tuple[str, str]] = []

            async def send(
                http: aiohttp.ClientSession,
                conv: int,
                turn: int,
                sessions: dict[int, str] = sessions,
                sent: list[tuple[str, str]] = sent,
            ) -> bool:
                text = LANDSBY_TURNS[turn % len(LANDSBY_TURNS)]
                body: dict[str, str] = {"message": text}
                if conv in sessions:
                    body["session_id"] = sessions[conv]
                async with http.post(f"{url}/api/chat", json=body) as resp:
                    if resp.status != 200:
                        return False
                    reply = await resp.json()
                sessions.setdefault(conv, reply["session_id"])
                sent.append((reply["session_id"], text))
                return True

            if not result.steps:
                await warm_up(send)
                sent.clear()
            step = await open_loop(send, rate, duration)
            step.lost = lost_turns(var / "tracker.db", sent)
            result.steps.append(step)
            print(f"landsby {rate:>5} msg/s: {step}", flush=True)
            if step.p95_ms > P95_LIMIT_MS or step.errors:
                break
        result.rss_mb = rss_mb(children_of(pid))
    return result


async def bench_bare_rasa(rates: list[float], duration: float) -> SystemResult:
    settings = Settings.from_env()
    project = ROOT / "bench" / "bare_rasa"
    models = BENCH_VAR / "bare-rasa-models"
    model = models / "bare-rasa.tar.gz"
    env = training.engine_env(settings)
    if not model.exists():
        subprocess.run(
            [
                str(training.rasa_bin(settings)),
                "train",
                "--out",
                str(models),
                "--fixed-model-name",
                "bare-rasa",
            ],
            cwd=project,
            env=env,
            check=True,
        )
    port = free_port()
    argv = [
        str(training.rasa_bin(settings)),
        "run",
        "--model",
        str(model),
        "--credentials",
        "credentials.yml",
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    result = SystemResult("bare-rasa")
    url = f"http://127.0.0.1:{port}"
    with process(argv, env, BENCH_VAR / "bare-rasa.log", project) as pid:
        result.ready_s = round(wait_http(f"{url}/", 300), 1)
        for rate in rates:

            async def send(
                http: aiohttp.ClientSession, conv: int, turn: int, rate: float = rate
            ) -> bool:
                body = {"sender": f"c{rate}-{conv}", "message": BARE_TURNS[turn % len(BARE_TURNS)]}
                async with http.post(f"{url}/webhooks/rest/webhook", json=body) as resp:
                    return resp.status == 200 and isinstance(await resp.json(), list)

            if not result.steps:
                await warm_up(send)
            step = await open_loop(send, rate, duration)
            result.steps.append(step)
            print(f"bare-rasa {rate:>5} msg/s: {step}", flush=True)
            if step.p95_ms > P95_LIMIT_MS or step.errors:
                break
        result.rss_mb = rss_mb({"rasa": pid})
    return result


def markdown(results: list[SystemResult]) -> str:
    lines = [
        "| system | offered msg/s | throughput | p50 ms | p95 ms | p99 ms | errors | lost |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for s in r.steps:
            lines.append(
                f"| {r.name} | {s.rate:g} | {s.throughput} | {s.p50_ms} | {s.p95_ms} | "
                f"{s.p99_ms} | {s.errors} | {s.lost} |"
            )
    lines.append("")
    for r in results:
        lines.append(
            f"- {r.name}: saturation (highest rate with p95 ≤ {P95_LIMIT_MS:g} ms, no errors) "
            f"{r.saturation} msg/s; ready after {r.ready_s} s; RSS MB {r.rss_mb}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per rate step")
    parser.add_argument("--rates", default="5,10,20,30,35,40,50,60", help="msg/s steps")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    results = [
        asyncio.run(bench_landsby(rates, args.duration)),
        asyncio.run(bench_bare_rasa(rates, args.duration)),
    ]
    table = markdown(results)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH_VAR / f"load-{stamp}.json"
    out.write_text(
        json.dumps([asdict(r) | {"saturation": r.saturation} for r in results], indent=2)
    )
    print(table)
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
