"""Property-based fuzz run of the public API: Schemathesis against a running Landsby.

    .venv/bin/python bench/fuzz.py [--max-examples 100] [--max-time 600] [--seed N]

Starts a real Landsby (`landsby run`: engine, action server, web app) on free ports with
a temporary var/ holding the current model, and runs Schemathesis against the OpenAPI
description it serves (`/api/openapi.json`, from docs/openapi.yaml) twice:

1. **raised limits** (`LANDSBY_RATE_PER_MINUTE` high), every operation, every phase
   (examples, coverage, fuzzing, stateful via the description's links), so the fuzzer
   reaches the handlers instead of seeing 429s;
2. **default limits**, `POST /api/chat` only, for longer than the limits' one-minute
   window (`--limits-time`): the limits must answer, and every 429 must be documented,
   carry `Retry-After` and the JSON error shape.

Checks on every response: status code documented, body valid against the schema,
content type and headers as documented, invalid input rejected with a 4xx, unsupported
methods 405 with `Allow`, no 5xx except a documented 503, no stack trace in any body.
Afterwards `/healthz` must still answer 200. Results: var/bench/fuzz-<time>.json (and
the HAR/JUnit reports and logs in var/bench/fuzz-<time>/), a Markdown summary on stdout.
Exit 0 only when nothing failed. (Schemathesis does not test the description's own URL,
`/api/openapi.json`; tests/web/test_openapi.py covers it.)
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import training  # noqa: E402
from bot.config import Settings  # noqa: E402
from tests.landsby import fresh_var, landsby_env  # noqa: E402
from tests.processes import http_status, running, wait_for  # noqa: E402

BENCH_VAR = ROOT / "var" / "bench"
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = [
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "unsupported_method",
    "allow_header_conformance",
    # bench/fuzz_checks.py
    "no_stack_trace",
    "only_documented_server_errors",
]
RAISED_RATE = "1000000"


@dataclass
class Run:
    name: str
    rate_per_minute: str
    exit_code: int = 0
    duration_s: float = 0.0
    operations: int = 0
    test_cases: int = 0
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    retry_after_missing: int = 0
    stack_traces: int = 0
    healthz_after: int = 0
    reports: str = ""

    @property
    def passed(self) -> bool:
        return (
            self.exit_code == 0
            and not self.failures
            and not self.retry_after_missing
            and not self.stack_traces
            and self.healthz_after == 200
            and self.requests > 0
        )


@contextlib.contextmanager
def landsby(var_dir: Path, rate_per_minute: str, log: Path) -> Iterator[str]:
    """A real `landsby run` on free ports; its base URL once /healthz answers 200."""
    env = landsby_env(var_dir, LANDSBY_RATE_PER_MINUTE=rate_per_minute, LANDSBY_LOG_LEVEL="WARNING")
    with running([sys.executable, "-m", "bot", "run"], env, log) as proc:
        url = f"http://127.0.0.1:{env['LANDSBY_PORT']}"
        wait_for(f"{url}/healthz", timeout=300, proc=proc)
        yield url


def schemathesis(url: str, out: Path, options: list[str], timeout: float) -> int:
    """One `schemathesis run`; its exit code (reports land in `out`)."""
    argv = [
        str(SCHEMATHESIS),
        "--config-file",
        str(ROOT / "bench" / "schemathesis.toml"),
        "run",
        f"{url}/api/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--report",
        "har,junit",
        "--report-har-path",
        str(out / "har.json"),
        "--report-junit-path",
        str(out / "junit.xml"),
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
        "--output-sanitize",
        "false",
        *options,
    ]
    env = dict(os.environ) | {
        "SCHEMATHESIS_HOOKS": "bench.fuzz_checks",
        "PYTHONPATH": str(ROOT),
    }
    with (out / "schemathesis.log").open("wb") as log:
        try:
            return subprocess.run(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            return -1


def read_har(path: Path, run: Run) -> None:
    """Count every request the fuzzer made and look at each response itself too."""
    if not path.exists():
        return
    entries = json.loads(path.read_text())["log"]["entries"]
    statuses: collections.Counter[str] = collections.Counter()
    for entry in entries:
        response = entry["response"]
        status = int(response["status"])
        statuses[str(status)] += 1
        headers = {h["name"].lower(): h["value"] for h in response.get("headers", [])}
        if status == 429 and not headers.get("retry-after", "").isdigit():
            run.retry_after_missing += 1
        if "Traceback" in (response.get("content", {}).get("text") or ""):
            run.stack_traces += 1
    run.requests = len(entries)
    run.statuses = dict(sorted(statuses.items()))


def read_junit(path: Path, run: Run) -> None:
    if not path.exists():
        return
    for case in ET.parse(path).getroot().iter("testcase"):
        run.operations += case.get("name") != "Stateful tests"
        for failure in [*case.iter("failure"), *case.iter("error")]:
            text = (failure.get("message") or failure.text or "").strip()
            run.failures.append(f"{case.get('name')}: {text.splitlines()[0] if text else '?'}")


def read_test_cases(log: Path, run: Run) -> None:
    """The number of generated test cases, from Schemathesis' closing summary."""
    for line in log.read_text(errors="replace").splitlines():
        words = line.replace(",", " ").split()
        if "generated" in words and words[0].isdigit():
            run.test_cases = int(words[0])


def fuzz(run: Run, var_dir: Path, out: Path, options: list[str], timeout: float) -> Run:
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with landsby(var_dir, run.rate_per_minute, out / "landsby.log") as url:
        run.exit_code = schemathesis(url, out, options, timeout)
        run.healthz_after = http_status(f"{url}/healthz", timeout=10)
    run.duration_s = round(time.monotonic() - started, 1)
    read_har(out / "har.json", run)
    read_junit(out / "junit.xml", run)
    read_test_cases(out / "schemathesis.log", run)
    if run.exit_code != 0 and not run.failures:
        run.failures.append(f"schemathesis exited {run.exit_code}: see {out}/schemathesis.log")
    run.reports = str(out.relative_to(ROOT))
    return run


def markdown(runs: list[Run], model: str) -> str:
    lines = [
        f"Fuzz run of the public API (Schemathesis, model {model})",
        "",
        "| run | rate limit/min | operations | test cases | requests | statuses | "
        "failures | 429 without Retry-After | stack traces | /healthz after | time s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        statuses = " ".join(f"{k}×{v}" for k, v in r.statuses.items())
        lines.append(
            f"| {r.name} | {r.rate_per_minute} | {r.operations} | {r.test_cases} | "
            f"{r.requests} | {statuses} | {len(r.failures)} | {r.retry_after_missing} | "
            f"{r.stack_traces} | {r.healthz_after} | {r.duration_s} |"
        )
    for r in runs:
        for failure in r.failures:
            lines.append(f"- {r.name}: {failure}")
    lines.append("")
    lines.append("PASSED" if all(r.passed for r in runs) else "FAILED")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation")
    parser.add_argument("--max-time", type=float, default=600, help="seconds per run at most")
    parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
    parser.add_argument(
        "--limits-time", type=int, default=90, help="seconds of the default-limits run"
    )
    parser.add_argument("--workers", default="2", help="concurrent Schemathesis workers")
    args = parser.parse_args(argv)

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH_VAR / f"fuzz-{stamp}"
    model = training.train(Settings.from_env())
    common = ["--max-examples", str(args.max_examples), "--workers", args.workers]
    if args.seed is not None:
        common += ["--seed", str(args.seed)]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="landsby-fuzz-") as tmp:
        raised = Run("raised limits, all operations", RAISED_RATE)
        runs.append(
            fuzz(raised, fresh_var(Path(tmp) / "a" / "var"), out / "raised", common, args.max_time)
        )
        limited = Run("default limits, POST /api/chat", str(Settings().rate_per_minute))
        # Longer than the limits' one-minute window, so that they are reached.
        chat_only = [
            *common,
            "--include-operation-id",
            "chat",
            "--phases",
            "fuzzing,stateful",
            "--max-time",
            str(args.limits_time),
        ]
        var_b = fresh_var(Path(tmp) / "b" / "var")
        runs.append(fuzz(limited, var_b, out / "default", chat_only, args.max_time))
    if not runs[1].statuses.get("429"):
        runs[1].failures.append("the default limits were never reached: no 429 was checked")

    summary: dict[str, Any] = {
        "time": stamp,
        "model": model.name,
        "max_examples": args.max_examples,
        "seed": args.seed,
        "checks": CHECKS,
        "passed": all(r.passed for r in runs),
        "runs": [asdict(r) | {"passed": r.passed} for r in runs],
    }
    result = BENCH_VAR / f"fuzz-{stamp}.json"
    result.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(markdown(runs, model.name))
    print(f"\nresults: {result.relative_to(ROOT)}")
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
