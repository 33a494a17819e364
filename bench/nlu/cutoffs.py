"""Derive the fallback thresholds, the responder's and the review queue's cut-offs.

    python -m bench.nlu.cutoffs              # from the calibration sets (production)
    python -m bench.nlu.cutoffs --cv DIR     # from k-fold CV predictions (compare --cv)

**From the calibration sets** (`tests/nlu/calibration/*.yml`): questions written by
other authors than the training data's, in other voices, never trained on. The current
production model (`landsby train`: data/nlu + config.yml) predicts them, and every cut-off
is chosen on those predictions with the fallback decision stripped, so the numbers are
on the production model's confidence scale. The held-out test set
(`tests/nlu/heldout.yml`) is never used here: it stays the honest measurement.

Why not cross-validation on the training data (how the cut-offs were first chosen)? The
training data deliberately holds the hardest spellings and fragments, so a fold model is
far less sure of them than the production model is of real questions: on CV 29 % of the
turns below the fallback threshold were right, on three independently written sets
43–80 %. Cut-offs chosen on CV asked back on right answers that real parents would have
got. `--cv` keeps that derivation for comparison.

- **Fallback** (`FallbackClassifier` threshold / ambiguity): `thresholds.choose`, a wrong
  answer costs 1 and a clarifying question `thresholds.CLARIFY_COST`.
- **CLARIFY_MIN_CONFIDENCE** (bot/responder.py): when the fallback fires, topics at least
  this likely become buttons (at most three, never a crisis topic). The largest value that
  still offers the right topic within `CLARIFY_RECALL_SLACK` of the best possible rate:
  fewer implausible buttons, almost no right topic lost.
- **LOW_CONFIDENCE** (bot/review/queue.py): answered turns below it are queued for
  review. The lowest value at which the answered turns at or above it are right at least
  `REVIEW_PRECISION` of the time: what is not queued can be trusted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench.nlu import thresholds
from bench.nlu.compare import load_predictions, save_predictions
from bot import evaluation, training
from bot.config import Settings
from bot.evaluation import FALLBACK_INTENT, Prediction

CALIBRATION_DIR = "tests/nlu/calibration"
CRISIS = ("krise.selvmord", "krise.akutt_fare")
GRID = tuple(round(0.01 * i, 2) for i in range(1, 100))
CLARIFY_RECALL_SLACK = 0.02
MAX_BUTTONS = 3
REVIEW_PRECISION = 0.95


@dataclass(frozen=True)
class Cutoffs:
    fallback_threshold: float
    ambiguity_threshold: float
    clarify_min_confidence: float
    low_confidence: float
    notes: dict[str, str]


def _ranking(p: Prediction) -> list[tuple[str, float]]:
    return p.ranking or [(p.predicted, p.confidence)]


def _unsure(p: Prediction, threshold: float, ambiguity: float) -> bool:
    ranking = _ranking(p)
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    return ranking[0][1] < threshold or ranking[0][1] - second < ambiguity


def clarify_cutoff(unsure: Sequence[Prediction]) -> tuple[float, str]:
    """The largest button cut-off that keeps the right topic offered almost as often."""
    rows = []
    for cutoff in GRID:
        offered = [
            [n for n, c in _ranking(p) if c >= cutoff and n not in CRISIS][:MAX_BUTTONS]
            for p in unsure
        ]
        recall = sum(p.expected in o for p, o in zip(unsure, offered, strict=True))
        buttons = sum(len(o) for o in offered)
        rows.append((cutoff, recall / max(len(unsure), 1), buttons / max(len(unsure), 1)))
    best = max(r for _, r, _ in rows)
    cutoff, recall, buttons = max(
        (row for row in rows if row[1] >= best - CLARIFY_RECALL_SLACK), key=lambda r: r[0]
    )
    return cutoff, (
        f"{len(unsure)} unsure turns: right topic among the buttons {recall:.1%} "
        f"(best {best:.1%}), {buttons:.2f} buttons on average"
    )


def review_cutoff(
    predictions: Sequence[Prediction], threshold: float, ambiguity: float
) -> tuple[float, str]:
    """The lowest confidence above which answered turns are right often enough."""
    answered = [p for p in predictions if not _unsure(p, threshold, ambiguity)]
    for cutoff in GRID:
        trusted = [p for p in answered if _ranking(p)[0][1] >= cutoff]
        right = sum(_ranking(p)[0][0] == p.expected for p in trusted)
        if trusted and right / len(trusted) >= REVIEW_PRECISION:
            queued = len(answered) - len(trusted)
            wrong = sum(_ranking(p)[0][0] != p.expected for p in answered)
            caught = wrong - (len(trusted) - right)
            return cutoff, (
                f"{len(answered)} answered turns: {queued} ({queued / len(answered):.1%}) "
                f"queued, holding {caught} of the {wrong} wrong answers; the rest right "
                f"{right / len(trusted):.1%}"
            )
    return GRID[-1], "no cut-off reaches the precision"


def derive(predictions: Sequence[Prediction]) -> Cutoffs:
    best, _ = thresholds.choose(predictions)
    unsure = [p for p in predictions if _unsure(p, best.threshold, best.ambiguity)]
    clarify, clarify_note = clarify_cutoff(unsure)
    review, review_note = review_cutoff(predictions, best.threshold, best.ambiguity)
    return Cutoffs(
        fallback_threshold=best.threshold,
        ambiguity_threshold=best.ambiguity,
        clarify_min_confidence=clarify,
        low_confidence=review,
        notes={
            "fallback": best.line(),
            "clarify": clarify_note,
            "review": review_note,
        },
    )


def without_fallback(prediction: Prediction) -> Prediction:
    """`prediction` as the classifier made it, before the FallbackClassifier's decision."""
    ranking = [(n, c) for n, c in prediction.ranking if n != FALLBACK_INTENT]
    top, confidence = ranking[0] if ranking else (prediction.predicted, prediction.confidence)
    return replace(prediction, predicted=top, confidence=confidence, ranking=ranking)


def calibration_predictions(settings: Settings) -> list[Prediction]:
    """The production model's predictions on every calibration set, fallback stripped."""
    model = training.train(settings)
    files = sorted((settings.root / CALIBRATION_DIR).glob("*.yml"))
    if not files:
        raise evaluation.EvaluationFailed(f"no calibration sets in {CALIBRATION_DIR}")
    return [
        without_fallback(p)
        for f in files
        for p in evaluation.predict_with_model(settings, model, str(f))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu.cutoffs", description=__doc__)
    parser.add_argument("--cv", metavar="DIR", help="use CV predictions (DIR/predictions.jsonl)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.cv:
        source = Path(args.cv) / "predictions.jsonl"
        if not source.exists():
            print(f"{source} missing: run python -m bench.nlu.compare --cv NAME", file=sys.stderr)
            return 1
        predictions, out = load_predictions(source), Path(args.cv) / "cutoffs.json"
    else:
        try:
            predictions = calibration_predictions(settings)
        except (training.TrainingFailed, evaluation.EvaluationFailed) as exc:
            print(exc, file=sys.stderr)
            return 1
        out = settings.var_dir / "bench" / "nlu" / "calibration" / "cutoffs.json"
        save_predictions(out.with_name("predictions.jsonl"), predictions)
    cutoffs = derive(predictions)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(asdict(cutoffs), indent=2))
    print(f"{len(predictions)} predictions; written to {out}")
    print(json.dumps(asdict(cutoffs), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
