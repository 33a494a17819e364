"""The promotion gate, the model registry (CURRENT pointer, history) and rollback."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot import training
from bot.cli import main
from bot.config import Settings
from bot.evaluation import Metrics, TopicScore
from bot.review import registry, retrain


def metrics(accuracy: float, macro_f1: float, **f1: float) -> Metrics:
    return Metrics(
        system="x",
        accuracy=accuracy,
        macro_f1=macro_f1,
        top_topic_accuracy=accuracy,
        fallback_rate=0.05,
        per_topic={t.replace("_", "."): TopicScore(f, f, f, 10) for t, f in f1.items()},
        confusions=[],
        n=100,
    )


CURRENT = metrics(0.80, 0.78, samvaer_tilsyn=0.90, rettigheter_klage=0.70)


def test_an_equal_or_better_candidate_passes() -> None:
    assert retrain.gate(CURRENT, CURRENT).passed
    better = metrics(0.85, 0.80, samvaer_tilsyn=0.95, rettigheter_klage=0.75)
    assert retrain.gate(CURRENT, better) == retrain.Gate(True, [])


def test_a_candidate_worse_overall_is_refused() -> None:
    worse = metrics(0.79, 0.78, samvaer_tilsyn=0.90, rettigheter_klage=0.70)
    verdict = retrain.gate(CURRENT, worse)
    assert not verdict.passed and verdict.reasons == ["accuracy drops from 0.800 to 0.790"]
    assert not retrain.gate(CURRENT, replace(CURRENT, macro_f1=0.77)).passed


def test_a_candidate_better_overall_but_much_worse_on_one_topic_is_refused() -> None:
    lopsided = metrics(0.90, 0.85, samvaer_tilsyn=0.99, rettigheter_klage=0.55)
    verdict = retrain.gate(CURRENT, lopsided)
    assert not verdict.passed
    assert verdict.reasons == ["rettigheter.klage: F1 drops from 0.70 to 0.55 (more than 0.10)"]
    assert retrain.gate(CURRENT, lopsided, max_topic_drop=0.2).passed


def test_a_drop_within_the_margin_passes_and_a_missing_topic_counts_as_zero() -> None:
    small_drop = metrics(0.80, 0.78, samvaer_tilsyn=0.80, rettigheter_klage=0.80)
    assert retrain.gate(CURRENT, small_drop).passed
    missing = metrics(0.80, 0.78, samvaer_tilsyn=0.90)
    assert retrain.gate(CURRENT, missing).reasons == [
        "rettigheter.klage: F1 drops from 0.70 to 0.00 (more than 0.10)"
    ]


def test_the_comparison_report_and_its_round_trip() -> None:
    worse = metrics(0.82, 0.80, samvaer_tilsyn=0.95, rettigheter_klage=0.50)
    comparison = retrain.compare("cand", worse, "cur", CURRENT)
    report = comparison.report()
    assert "gate: refused" in report and "rettigheter.klage" in report and "-0.200  <--" in report
    assert comparison.rows()[0][0] == "rettigheter.klage"
    assert retrain.Comparison.from_dict(json.loads(json.dumps(comparison.to_dict()))) == comparison


# ------------------------------------------------------------------------------ registry


def _model(settings: Settings, name: str, metrics_: Metrics | None = None) -> Path:
    path = settings.models_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    return path


def _compared(settings: Settings, name: str, candidate: Metrics, current: Path | None) -> Path:
    path = _model(settings, f"candidates/{name}.tar.gz")
    comparison = retrain.compare(
        name,
        candidate,
        registry.model_stem(current) if current else None,
        CURRENT if current else None,
    )
    registry.sidecar(path, "comparison").write_text(json.dumps(comparison.to_dict()))
    registry.sidecar(path, "metrics").write_text(json.dumps({"accuracy": 0.8, "macro_f1": 0.7}))
    return path


def test_without_a_pointer_the_hash_named_model_is_current(settings: Settings) -> None:
    assert registry.current_model(settings) is None
    assert registry.active_model(settings) == training.model_path(settings)


def test_promote_and_rollback(no_engine: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    settings = no_engine
    base = _model(settings, training.model_path(settings).name)
    first = _compared(settings, "landsby-a-1", CURRENT, base)
    assert main(["promote", "landsby-a-1", "--by", "anna"]) == 0
    assert registry.current_model(settings) == first.resolve()
    assert (settings.models_dir / "CURRENT").read_text().strip() == "candidates/landsby-a-1.tar.gz"

    second = _compared(settings, "landsby-b-2", CURRENT, first)
    assert main(["promote", "candidates/landsby-b-2.tar.gz"]) == 0
    assert registry.current_model(settings) == second.resolve()
    assert "engine is not running" in capsys.readouterr().out

    assert main(["models"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line[0] for line in listing if "landsby-b-2" in line] == ["*"]

    assert main(["rollback"]) == 0
    assert registry.current_model(settings) == first.resolve()
    assert main(["rollback"]) == 0
    assert registry.current_model(settings) == base.resolve()
    assert main(["rollback"]) == 1  # nothing before the original model
    actions = [h["action"] for h in registry.history(settings)]
    assert actions == ["rollback", "rollback", "promote", "promote", "promote"]


def test_a_refused_or_stale_candidate_is_promoted_only_with_force(
    no_engine: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = no_engine
    base = _model(settings, training.model_path(settings).name)
    worse = _compared(settings, "landsby-worse", metrics(0.5, 0.5, samvaer_tilsyn=0.5), base)
    assert main(["promote", "landsby-worse"]) == 3
    assert "accuracy drops" in capsys.readouterr().err
    assert registry.current_model(settings) is None

    # Compared with the base model; once another model is current, the comparison is stale.
    good = _compared(settings, "landsby-good", CURRENT, base)
    other = _compared(settings, "landsby-other", CURRENT, base)
    assert main(["promote", "landsby-other"]) == 0
    assert main(["promote", "landsby-good"]) == 3
    assert "is current now" in capsys.readouterr().err

    assert main(["promote", "landsby-worse", "--force", "--by", "ola"]) == 0
    assert registry.current_model(settings) == worse.resolve()
    forced = registry.history(settings)[0]
    assert forced["forced"] is True and forced["by"] == "ola"
    assert forced["reasons"][0].startswith("accuracy drops")
    assert good.exists() and other.exists()


def test_a_pointer_to_a_missing_or_outside_model_is_ignored(settings: Settings) -> None:
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    pointer = settings.models_dir / "CURRENT"
    pointer.write_text("candidates/gone.tar.gz\n")
    assert registry.current_model(settings) is None
    pointer.write_text("../../etc/passwd\n")
    assert registry.current_model(settings) is None
