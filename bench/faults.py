"""Faults under load: no message may be lost silently.

    .venv/bin/python -m bench.faults [--rate 5] [--duration 75] [--replicas 2]

Landsby answers an open-loop load (bench/load.py's generator) with its tracker store on
a throw-away PostgreSQL server while the action server is killed (SIGKILL), then the
engine, then PostgreSQL is stopped and started again. Every request's outcome is kept;
afterwards every user turn in the tracker store is counted. A message is lost silently
when the parent got an answer (200) but the turn is not stored; every other outcome
must be a refusal the parent sees (503 with a sentence). With `--replicas 2` the engine
runs as two replicas with a Redis lock store, and only one of them is killed. Results:
var/bench/faults-<time>.json and a summary on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import datetime as dt
import json
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass, field

import aiohttp
from sqlalchemy import create_engine, text

from bench.load import BENCH_ENV, BENCH_VAR, LANDSBY_TURNS, ROOT, open_loop, process, wait_http
from tests.landsby import child_pid, fresh_var, landsby_env, wait_replicas
from tests.postgres import PostgresServer, temporary_postgres
from tests.processes import free_ports
from tests.redisserver import temporary_redis

# (seconds after the load starts, fault)
SCHEDULE = [
    (10.0, "kill actions"),
    (25.0, "kill engine"),
    (45.0, "stop database"),
    (52.0, "start database"),
]


@dataclass
class Outcome:
    at: float
    session_id: str | None
    text: str
    status: int
    kinds: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class Report:
    rate: float
    duration: float
    replicas: int
    faults: list[tuple[float, str]]
    requests: int = 0
    answered: int = 0
    refused_with_sentence: int = 0
    other: int = 0
    lost_silently: int = 0
    stored_twice: int = 0
    refused_but_stored: int = 0
    fallback_answers: int = 0
    healthy_after: bool = False
    by_status: dict[str, int] = field(default_factory=dict)


async def _inject(root_pid: int, postgres: PostgresServer, start: float, log: list) -> None:
    for at, fault in SCHEDULE:
        await asyncio.sleep(max(0.0, start + at - time.monotonic()))
        if fault == "kill actions":
            os.killpg(child_pid(root_pid, "bot actions"), signal.SIGKILL)
        elif fault == "kill engine":
            os.killpg(child_pid(root_pid, "rasa run"), signal.SIGKILL)
        elif fault == "stop database":
            await asyncio.to_thread(postgres.stop)
        else:
            await asyncio.to_thread(postgres.start)
        log.append((round(time.monotonic() - start, 1), fault))
        print(f"  t={time.monotonic() - start:5.1f} s: {fault}", flush=True)


def _stored(tracker_url: str) -> collections.Counter[tuple[str, str]]:
    engine = create_engine(tracker_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user'"))
            return collections.Counter((s, json.loads(d)["text"]) for s, d in rows)
    finally:
        engine.dispose()


def analyse(report: Report, outcomes: list[Outcome], stored: collections.Counter) -> Report:
    sent: collections.Counter[tuple[str, str]] = collections.Counter()
    for o in outcomes:
        report.by_status[str(o.status)] = report.by_status.get(str(o.status), 0) + 1
        if o.status == 200 and o.session_id:
            report.answered += 1
            sent[(o.session_id, o.text)] += 1
            report.fallback_answers += "fallback" in o.kinds
        elif o.status == 503 and o.error:
            report.refused_with_sentence += 1
            if o.session_id and stored[(o.session_id, o.text)] > sent[(o.session_id, o.text)]:
                report.refused_but_stored += 1
        else:
            report.other += 1
    report.requests = len(outcomes)
    report.lost_silently = sum(max(0, n - stored[key]) for key, n in sent.items())
    report.stored_twice = sum(max(0, stored[key] - n) for key, n in sent.items() if n)
    return report


async def run(rate: float, duration: float, replicas: int) -> Report:
    var = fresh_var(BENCH_VAR / "faults-var")
    report = Report(rate, duration, replicas, [])
    with contextlib.ExitStack() as stack:
        postgres = stack.enter_context(temporary_postgres("tracker"))
        scale_out = {}
        if replicas > 1:
            scale_out = {
                "LANDSBY_ENGINE_REPLICAS": str(replicas),
                "LANDSBY_LOCK_STORE_URL": stack.enter_context(temporary_redis()),
            }
        env = landsby_env(
            var,
            **scale_out,
            **BENCH_ENV,
            LANDSBY_ENGINE_PORT=str(free_ports(replicas)),
            LANDSBY_TRACKER_DB_URL=postgres.url,
        )
        url = f"http://127.0.0.1:{env['LANDSBY_PORT']}"
        argv = [sys.executable, "-m", "bot", "run"]
        with process(argv, env, BENCH_VAR / "faults-landsby.log", ROOT) as pid:
            wait_replicas(url, replicas, timeout=300)
            sessions: dict[int, str] = {}
            outcomes: list[Outcome] = []
            start = time.monotonic() + 0.5

            async def send(http: aiohttp.ClientSession, conv: int, turn: int) -> bool:
                message = LANDSBY_TURNS[turn % len(LANDSBY_TURNS)]
                body = {"message": message} | (
                    {"session_id": sessions[conv]} if conv in sessions else {}
                )
                at = round(time.monotonic() - start, 2)
                outcome = Outcome(at, sessions.get(conv), message, 0)
                outcomes.append(outcome)
                async with http.post(f"{url}/api/chat", json=body) as resp:
                    outcome.status = resp.status
                    reply = await resp.json()
                if resp.status == 200:
                    sessions.setdefault(conv, reply["session_id"])
                    outcome.session_id = reply["session_id"]
                    outcome.kinds = [m.get("kind") for m in reply["messages"]]
                    return bool(reply["messages"])
                outcome.error = str(reply.get("error") or "")
                return False

            faults = asyncio.create_task(_inject(pid, postgres, start, report.faults))
            # Enough conversations that no one repeats a question within the run.
            step = await open_loop(send, rate, duration, conversations=int(rate * duration / 6))
            await faults
            report.healthy_after = _recovered(f"{url}/healthz")
            print(f"  load: {step}", flush=True)
        analyse(report, outcomes, _stored(postgres.url))
    return report


def _recovered(url: str) -> bool:
    try:
        wait_http(url, 120)
    except TimeoutError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5.0, help="msg/s offered")
    parser.add_argument("--duration", type=float, default=75.0, help="seconds of load")
    parser.add_argument("--replicas", type=int, default=1, help="engine replicas (2+: Redis)")
    args = parser.parse_args()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    report = asyncio.run(run(args.rate, args.duration, args.replicas))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH_VAR / f"faults-{args.replicas}x-{stamp}.json"
    out.write_text(json.dumps(asdict(report), indent=2))
    print(json.dumps(asdict(report), indent=2))
    silent = report.lost_silently or report.other or report.stored_twice
    print(f"\n{'FAIL' if silent else 'OK'}: results in {out}")
    return 1 if silent or not report.healthy_after else 0


if __name__ == "__main__":
    raise SystemExit(main())
