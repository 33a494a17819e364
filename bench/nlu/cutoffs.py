"""Derive the responder's and the review queue's cut-offs from cross-validated predictions.

    python -m bench.nlu.compare --cv normaliser-linear --folds 5   # writes the predictions
    python -m bench.nlu.cutoffs [var/bench/nlu/cv/normaliser-linear]

Only training data: the predictions are those of k-fold cross-validation on data/nlu with
the fallback switched off, so every number is on the production model's confidence scale
(a linear model's probabilities are far lower than DIET's similarity scores, and cut-offs
written for DIET mean something else here). Never from the held-out set.

- **Fallback** (`FallbackClassifier` threshold / ambiguity): `thresholds.choose`, a wrong
  answer costs 1 and a clarifying question `thresholds.CLARIFY_COST`.
- **CLARIFY_MIN_CONFIDENCE** (bot/responder.py): when the fallback fires, topics at least
  this likely become buttons (at most three, never a crisis topic). The largest value that
  still offers the right topic within `CLARIFY_RECALL_SLACK` of the best possible rate:
  fewer implausible buttons, almost no right topic lost.
- **CRISIS_MIN_CONFIDENCE** (bot/responder.py): a crisis topic ranked first at least this
  likely is answered as a crisis even when the model is unsure (the web app's
  deterministic guard runs before any model; this is the second line). A crisis left to
  a clarifying question costs `MISSED_CRISIS_COST`, a crisis answer to a non-crisis
  message 1; the cheapest value on the grid, the lower one on ties.
- **LOW_CONFIDENCE** (bot/review/queue.py): answered turns below it are queued for
  review. The lowest value at which the answered turns at or above it are right at least
  `REVIEW_PRECISION` of the time: what is not queued can be trusted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.nlu import thresholds
from bench.nlu.compare import load_predictions
from bot.evaluation import Prediction

CRISIS = ("krise.selvmord", "krise.akutt_fare")
GRID = tuple(round(0.01 * i, 2) for i in range(1, 100))
CLARIFY_RECALL_SLACK = 0.02
MAX_BUTTONS = 3
MISSED_CRISIS_COST = 10.0
REVIEW_PRECISION = 0.95


@dataclass(frozen=True)
class Cutoffs:
    fallback_threshold: float
    ambiguity_threshold: float
    clarify_min_confidence: float
    crisis_min_confidence: float
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


def crisis_cutoff(
    predictions: Sequence[Prediction], threshold: float, ambiguity: float
) -> tuple[float, str]:
    """The cheapest cut-off for a crisis topic to win over an unsure model."""
    unsure = [p for p in predictions if _unsure(p, threshold, ambiguity)]
    rows = []
    for cutoff in GRID:
        missed = false = 0
        for p in unsure:
            top, confidence = _ranking(p)[0]
            is_crisis_answer = top in CRISIS and confidence >= cutoff
            if p.expected in CRISIS and not is_crisis_answer:
                missed += 1
            elif p.expected not in CRISIS and is_crisis_answer:
                false += 1
        rows.append((MISSED_CRISIS_COST * missed + false, cutoff, missed, false))
    cost, cutoff, missed, false = min(rows)
    crises = sum(p.expected in CRISIS for p in unsure)
    return cutoff, (
        f"{len(unsure)} unsure turns, {crises} of them crises: {missed} left unanswered as "
        f"crisis, {false} non-crises answered as crisis (cost {cost:.0f})"
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
    crisis, crisis_note = crisis_cutoff(predictions, best.threshold, best.ambiguity)
    review, review_note = review_cutoff(predictions, best.threshold, best.ambiguity)
    return Cutoffs(
        fallback_threshold=best.threshold,
        ambiguity_threshold=best.ambiguity,
        clarify_min_confidence=clarify,
        crisis_min_confidence=crisis,
        low_confidence=review,
        notes={
            "fallback": best.line(),
            "clarify": clarify_note,
            "crisis": crisis_note,
            "review": review_note,
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu.cutoffs", description=__doc__)
    parser.add_argument("cv_dir", nargs="?", default="var/bench/nlu/cv/normaliser-linear")
    args = parser.parse_args(argv)
    source = Path(args.cv_dir) / "predictions.jsonl"
    if not source.exists():
        print(f"{source} missing: run python -m bench.nlu.compare --cv NAME", file=sys.stderr)
        return 1
    cutoffs = derive(load_predictions(source))
    (Path(args.cv_dir) / "cutoffs.json").write_text(json.dumps(asdict(cutoffs), indent=2))
    print(json.dumps(asdict(cutoffs), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
