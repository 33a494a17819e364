"""`landsby retrain`: train a candidate, compare it with the current model on the held-out
set, and promote it only when it is not worse — overall, and for every topic within a margin.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot import evaluation, training
from bot.config import Settings
from bot.evaluation import Metrics, TopicScore
from bot.review import registry

DEFAULT_MAX_TOPIC_DROP = 0.10
# Scores are rounded to 4 decimals; a difference below this is no difference.
EPSILON = 1e-9


class RetrainFailed(Exception):
    pass


@dataclass(frozen=True)
class Gate:
    passed: bool
    reasons: list[str] = field(default_factory=list)


def gate(
    current: Metrics, candidate: Metrics, max_topic_drop: float = DEFAULT_MAX_TOPIC_DROP
) -> Gate:
    """May `candidate` replace `current`? Both must be scored on the same held-out set."""
    reasons = []
    for name in ("accuracy", "macro_f1"):
        before, after = getattr(current, name), getattr(candidate, name)
        if after < before - EPSILON:
            reasons.append(f"{name} drops from {before:.3f} to {after:.3f}")
    for topic, score in sorted(current.per_topic.items()):
        after_f1 = candidate.per_topic[topic].f1 if topic in candidate.per_topic else 0.0
        if score.f1 - after_f1 > max_topic_drop + EPSILON:
            reasons.append(
                f"{topic}: F1 drops from {score.f1:.2f} to {after_f1:.2f} "
                f"(more than {max_topic_drop:.2f})"
            )
    return Gate(passed=not reasons, reasons=reasons)


def metrics_from_dict(data: dict[str, Any]) -> Metrics:
    return Metrics(
        system=data["system"],
        accuracy=data["accuracy"],
        macro_f1=data["macro_f1"],
        top_topic_accuracy=data["top_topic_accuracy"],
        fallback_rate=data["fallback_rate"],
        per_topic={t: TopicScore(**s) for t, s in data["per_topic"].items()},
        confusions=[(e, p, c) for e, p, c in data["confusions"]],
        n=data["n"],
    )


@dataclass(frozen=True)
class Comparison:
    candidate_model: str
    candidate: Metrics
    current_model: str | None
    current: Metrics | None
    gate: Gate
    max_topic_drop: float
    test_file: str

    def rows(self) -> list[tuple[str, float | None, float, float | None]]:
        """(topic, current F1, candidate F1, difference), worst change first."""
        rows = []
        for topic in sorted(set(self.candidate.per_topic) | set(self.current_per_topic())):
            before = self.current_per_topic().get(topic)
            after = self.candidate.per_topic[topic].f1 if topic in self.candidate.per_topic else 0.0
            rows.append((topic, before, after, None if before is None else after - before))
        return sorted(rows, key=lambda r: (r[3] if r[3] is not None else 0.0, r[0]))

    def current_per_topic(self) -> dict[str, float]:
        return {t: s.f1 for t, s in self.current.per_topic.items()} if self.current else {}

    def overall(self) -> list[tuple[str, float | None, float]]:
        names = ("accuracy", "macro_f1", "top_topic_accuracy", "fallback_rate")
        return [
            (n, getattr(self.current, n) if self.current else None, getattr(self.candidate, n))
            for n in names
        ]

    def report(self) -> str:
        def num(value: float | None) -> str:
            return "    –" if value is None else f"{value:.3f}"

        width = max([34, *(len(t) + 4 for t in self.candidate.per_topic)])
        lines = [
            f"held-out set: {self.test_file}",
            f"current:   {self.current_model or '(none)'}",
            f"candidate: {self.candidate_model}",
            "",
            f"{'':<{width}}{'current':>9}{'candidate':>11}{'change':>9}",
        ]
        for name, before, after in self.overall():
            change = "" if before is None else f"{after - before:+.3f}"
            lines.append(f"{name:<{width}}{num(before):>9}{num(after):>11}{change:>9}")
        lines.append("")
        lines.append("F1 per topic (worst change first)")
        for topic, before, after, diff in self.rows():
            change = "" if diff is None else f"{diff:+.3f}"
            flag = "  <--" if diff is not None and -diff > self.max_topic_drop + EPSILON else ""
            row = f"  {topic:<{width - 2}}{num(before):>9}{num(after):>11}{change:>9}{flag}"
            lines.append(row)
        lines.append("")
        if self.gate.passed:
            lines.append("gate: passed — the candidate is not worse")
        else:
            lines.append("gate: refused —")
            lines += [f"  {reason}" for reason in self.gate.reasons]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        return cls(
            candidate_model=data["candidate_model"],
            candidate=metrics_from_dict(data["candidate"]),
            current_model=data["current_model"],
            current=metrics_from_dict(data["current"]) if data["current"] else None,
            gate=Gate(**data["gate"]),
            max_topic_drop=data["max_topic_drop"],
            test_file=data["test_file"],
        )


def compare(
    candidate_model: str,
    candidate: Metrics,
    current_model: str | None,
    current: Metrics | None,
    max_topic_drop: float = DEFAULT_MAX_TOPIC_DROP,
    test_file: str = evaluation.DEFAULT_TEST_FILE,
) -> Comparison:
    verdict = (
        gate(current, candidate, max_topic_drop) if current else Gate(True, ["no current model"])
    )
    return Comparison(
        candidate_model, candidate, current_model, current, verdict, max_topic_drop, test_file
    )


def load_comparison(model: Path) -> Comparison | None:
    path = registry.sidecar(model, "comparison")
    return Comparison.from_dict(json.loads(path.read_text())) if path.exists() else None


def objections(settings: Settings, comparison: Comparison | None) -> list[str]:
    """Why the compared candidate should not be promoted now; empty when it may be."""
    if comparison is None:
        return ["it was never compared with the current model"]
    if not comparison.gate.passed:
        return comparison.gate.reasons
    current = registry.active_model(settings)
    now = registry.model_stem(current) if current.is_file() else None
    if comparison.current_model != now:
        return [f"it was compared with {comparison.current_model}, but {now} is current now"]
    return []


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def train_candidate(settings: Settings) -> Path:
    """A new model of the current training data under var/models/candidates/."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{training.model_name(settings.root)}-{stamp}{registry.SUFFIX}"
    target = settings.models_dir / registry.CANDIDATES / name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        return training.run_training(
            settings, training.train_command(settings, target), target
        ).path
    except training.TrainingFailed as exc:
        raise RetrainFailed(str(exc)) from exc


def evaluate_model(settings: Settings, model: Path, system: str, test_file: str) -> Metrics:
    """Held-out scores of one model, also kept next to it as `<name>.metrics.json`."""
    metrics = evaluation.score(system, evaluation.predict_with_model(settings, model, test_file))
    _write_json(registry.sidecar(model, "metrics"), asdict(metrics))
    return metrics


Progress = Callable[[str], None]


def retrain(
    settings: Settings,
    *,
    max_topic_drop: float = DEFAULT_MAX_TOPIC_DROP,
    test_file: str = evaluation.DEFAULT_TEST_FILE,
    progress: Progress = lambda stage: None,
) -> tuple[Path, Comparison]:
    """Train and evaluate a candidate against the current model; save the comparison."""
    progress("training")
    candidate = train_candidate(settings)
    progress("evaluating the candidate")
    candidate_metrics = evaluate_model(settings, candidate, "candidate", test_file)
    current = registry.active_model(settings)
    current_metrics = None
    if current.is_file():
        progress("evaluating the current model")
        current_metrics = evaluate_model(settings, current, "current", test_file)
    comparison = compare(
        registry.model_stem(candidate),
        candidate_metrics,
        registry.model_stem(current) if current_metrics else None,
        current_metrics,
        max_topic_drop,
        test_file,
    )
    _write_json(registry.sidecar(candidate, "comparison"), comparison.to_dict())
    return candidate, comparison


# --- the status of a retrain started from /admin (a `landsby retrain` child process)


def status_path(settings: Settings) -> Path:
    return settings.models_dir / "retrain-status.json"


def write_status(path: Path, **fields: Any) -> None:
    current = read_status(path) or {}
    current.update(fields, updated=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    tmp = path.with_suffix(".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(json.dumps(current, ensure_ascii=False))
    os.replace(tmp, path)


def read_status(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
