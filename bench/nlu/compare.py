"""Train candidate NLU pipelines on data/nlu and score them on tests/nlu/heldout.yml.

    python -m bench.nlu.compare                   # every candidate (≈ 20 min on 2 cores)
    python -m bench.nlu.compare --only a,b        # some candidates; other rows are kept
    python -m bench.nlu.compare --cv NAME         # k-fold CV on data/nlu + thresholds
    python -m bench.nlu.compare --list

Scores come from `bot.evaluation` (the same code as `landsby evaluate`). Results go to
var/bench/nlu/: results.json, results.md and the held-out predictions of each candidate;
cross-validation to var/bench/nlu/cv/NAME/. See bench/nlu/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from bench import rasa_runs
from bench.nlu import thresholds
from bot import evaluation
from bot.config import Settings
from bot.evaluation import Prediction

TRAIN_DATA = "data/nlu"
TEST_FILE = evaluation.DEFAULT_TEST_FILE
REFERENCE = "whitespace-diet"  # the pipeline of config.yml when this comparison was made
CV_SEED = 20261128


@dataclass(frozen=True)
class Candidate:
    name: str
    config: str | None  # None: the TF-IDF + LR baseline of bot.engine.nlu_eval
    description: str
    retrieval: bool = False  # trained on data converted to retrieval intents
    spacy: bool = False  # needs var/spacy/nb_blank


CANDIDATES = (
    Candidate(
        "whitespace-diet",
        "bench/nlu/whitespace-diet.yml",
        "production (config.yml): whitespace, word + char_wb 1-4, DIET 0 layers",
    ),
    Candidate(
        "rasa-default",
        evaluation.RASA_DEFAULT_CONFIG,
        "Rasa's default: same features, DIET with 2 transformer layers, 100 epochs",
    ),
    Candidate(
        "normaliser-diet",
        "bench/nlu/normaliser-diet.yml",
        "whitespace + Norwegian normaliser + DIET 0 layers",
    ),
    Candidate(
        "spacy-normaliser-diet",
        "bench/nlu/spacy-normaliser-diet.yml",
        "blank-nb spaCy tokenizer + normaliser + DIET 0 layers",
        spacy=True,
    ),
    Candidate(
        "retrieval-diet",
        "bench/nlu/retrieval-diet.yml",
        "themes as retrieval intents + ResponseSelector (converted data)",
        retrieval=True,
    ),
    Candidate(
        "whitespace-linear",
        "bench/nlu/whitespace-linear.yml",
        "whitespace, word + char_wb 2-5, TF-IDF logistic regression (custom)",
    ),
    Candidate(
        "normaliser-linear",
        "bench/nlu/normaliser-linear.yml",
        "whitespace + normaliser + TF-IDF logistic regression (production until 2026-11-28)",
    ),
    Candidate(
        "normaliser-linear-bigrams",
        "bench/nlu/normaliser-linear-bigrams.yml",
        "normaliser-linear + word bigrams of the normalised forms (production)",
    ),
    Candidate(
        "spacy-normaliser-linear",
        "bench/nlu/spacy-normaliser-linear.yml",
        "blank-nb spaCy + normaliser + TF-IDF logistic regression",
        spacy=True,
    ),
    Candidate(
        "tfidf-logreg",
        None,
        "baseline outside Rasa: sklearn TF-IDF words + chars, logistic regression",
    ),
)


@dataclass(frozen=True)
class Row:
    name: str
    description: str
    accuracy: float
    macro_f1: float
    top_topic_accuracy: float
    fallback_rate: float
    train_seconds: float
    model_mb: float | None
    n: int
    inputs: str  # hash of the config and the data, to spot stale rows
    measured_at: str


def out_root(settings: Settings) -> Path:
    return settings.var_dir / "bench" / "nlu"


def inputs_hash(settings: Settings, candidate: Candidate) -> str:
    root = settings.root
    files = [root / candidate.config] if candidate.config else []
    files += [*sorted((root / TRAIN_DATA).rglob("*.yml")), root / TEST_FILE]
    if candidate.config and "bot.engine.components" in files[0].read_text():
        files += sorted((root / "bot/engine/components").glob("*.py"))
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode() + file.read_bytes())
    return digest.hexdigest()[:12]


def retrieval_data(source: Path, target: Path) -> Path:
    """data/nlu with every "theme.topic" intent written as the retrieval intent "theme/topic".

    The ResponseSelector needs a response per retrieval intent; it is trained on the
    intent key, not on the response text, so the slug is enough as text.
    """
    examples = [
        (text, intent.replace(".", "/", 1)) for text, intent in rasa_runs.read_examples(source)
    ]
    responses = {intent: intent for _, intent in examples if "/" in intent}
    return rasa_runs.write_nlu(target / "nlu.yml", examples, responses)


def training_data(settings: Settings, candidate: Candidate) -> Path:
    if candidate.spacy:
        rasa_runs.ensure_spacy_model(settings)
    if candidate.retrieval:
        return retrieval_data(settings.root / TRAIN_DATA, out_root(settings) / "retrieval")
    return Path(TRAIN_DATA)


def run_candidate(settings: Settings, candidate: Candidate) -> tuple[Row, list[Prediction]]:
    """Train on data/nlu (or its retrieval copy), predict the held-out set, score."""
    if candidate.config is None:
        started = time.monotonic()
        predictions = evaluation.predict_with_baseline(settings, TEST_FILE, TRAIN_DATA)
        seconds, megabytes = round(time.monotonic() - started, 1), None
    else:
        model = rasa_runs.train_nlu(
            settings,
            Path(candidate.config),
            training_data(settings, candidate),
            out_root(settings) / "models",
            candidate.name,
        )
        predictions = evaluation.predict_with_model(settings, model.path, TEST_FILE)
        seconds, megabytes = model.seconds, model.megabytes
    metrics = evaluation.score(candidate.name, predictions)
    row = Row(
        name=candidate.name,
        description=candidate.description,
        accuracy=metrics.accuracy,
        macro_f1=metrics.macro_f1,
        top_topic_accuracy=metrics.top_topic_accuracy,
        fallback_rate=metrics.fallback_rate,
        train_seconds=seconds,
        model_mb=megabytes,
        n=metrics.n,
        inputs=inputs_hash(settings, candidate),
        measured_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return row, predictions


def save_predictions(path: Path, predictions: list[Prediction]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "\n".join(json.dumps(asdict(p), ensure_ascii=False) for p in predictions) + "\n"
    )


def load_predictions(path: Path) -> list[Prediction]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [
        Prediction(
            r["text"],
            r["expected"],
            r["predicted"],
            r["confidence"],
            [(n, c) for n, c in r["ranking"]],
        )
        for r in rows
    ]


def mcnemar(reference: list[Prediction], other: list[Prediction]) -> dict[str, float]:
    """Exact McNemar test of two systems' accuracy on the same examples.

    Only the examples where exactly one system is right carry information; with n = 468
    a difference of 1-2 points is well within chance, and this says how far.
    """
    pairs = list(zip(reference, other, strict=True))
    only_other = sum(o.predicted == o.expected != r.predicted for r, o in pairs)
    only_reference = sum(r.predicted == r.expected != o.predicted for r, o in pairs)
    n, k = only_other + only_reference, min(only_other, only_reference)
    p = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n) if n else 1.0
    return {
        "only_candidate_right": only_other,
        "only_reference_right": only_reference,
        "p_value": round(p, 4),
    }


def render_markdown(rows: list[Row], tests: dict[str, dict[str, float]]) -> str:
    lines = [
        f"Held-out set: {TEST_FILE} (n = {rows[0].n if rows else 0}); a fallback counts as "
        "wrong; top-topic accuracy ignores the fallback threshold. McNemar against "
        f"{REFERENCE}: examples only the candidate / only the reference got right, p.",
        "",
        "| candidate | accuracy | macro-F1 | top-topic acc. | fallback | train time | "
        "model | vs reference |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        test = tests.get(r.name)
        versus = (
            f"+{test['only_candidate_right']:.0f}/-{test['only_reference_right']:.0f}, "
            f"p={test['p_value']:.3f}"
            if test
            else "—"
        )
        size = f"{r.model_mb:.1f} MB" if r.model_mb is not None else "—"
        lines.append(
            f"| {r.name} | {r.accuracy:.3f} | {r.macro_f1:.3f} | {r.top_topic_accuracy:.3f} | "
            f"{r.fallback_rate:.1%} | {r.train_seconds:.0f} s | {size} | {versus} |"
        )
    return "\n".join(lines) + "\n"


def compare(settings: Settings, names: list[str]) -> str:
    root = out_root(settings)
    results_file = root / "results.json"
    stored = json.loads(results_file.read_text()) if results_file.exists() else {}
    for candidate in (c for c in CANDIDATES if c.name in names):
        print(f"==> {candidate.name}: {candidate.description}", flush=True)
        row, predictions = run_candidate(settings, candidate)
        save_predictions(root / "heldout" / f"{candidate.name}.jsonl", predictions)
        stored[candidate.name] = asdict(row)
        print(
            f"    accuracy {row.accuracy:.3f} macro-F1 {row.macro_f1:.3f} "
            f"train {row.train_seconds:.0f} s",
            flush=True,
        )
    order = [c.name for c in CANDIDATES]
    rows = [Row(**stored[n]) for n in order if n in stored]
    tests: dict[str, dict[str, float]] = {}
    reference_file = root / "heldout" / f"{REFERENCE}.jsonl"
    for row in rows:
        other_file = root / "heldout" / f"{row.name}.jsonl"
        if row.name != REFERENCE and reference_file.exists() and other_file.exists():
            tests[row.name] = mcnemar(
                load_predictions(reference_file), load_predictions(other_file)
            )
    root.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(stored, indent=2, ensure_ascii=False))
    (root / "mcnemar.json").write_text(json.dumps(tests, indent=2))
    table = render_markdown(rows, tests)
    (root / "results.md").write_text(table)
    return table


def without_fallback(config: Path, target: Path) -> Path:
    """`config` with the FallbackClassifier switched off (thresholds 0), for CV."""
    document = yaml.safe_load(config.read_text())
    for component in document["pipeline"]:
        if component["name"] == "FallbackClassifier":
            component["threshold"] = 0.0
            component["ambiguity_threshold"] = 0.0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    return target


def cross_validate(settings: Settings, candidate: Candidate, k: int) -> str:
    """k-fold CV on data/nlu only: scores, train times and the fallback thresholds."""
    if candidate.retrieval:
        raise rasa_runs.BenchmarkFailed("cross-validation of the retrieval variant is not built")
    root = out_root(settings) / "cv" / candidate.name
    examples = rasa_runs.read_examples(settings.root / TRAIN_DATA)
    folds = rasa_runs.stratified_folds(examples, k, CV_SEED)
    config = (
        without_fallback(settings.root / candidate.config, root / "config.yml")
        if candidate.config
        else None
    )
    if candidate.spacy:
        rasa_runs.ensure_spacy_model(settings)
    predictions: list[Prediction] = []
    seconds: list[float] = []
    for i, test in enumerate(folds):
        train = [e for j, fold in enumerate(folds) if j != i for e in fold]
        train_file = rasa_runs.write_nlu(root / f"fold{i}" / "train" / "nlu.yml", train)
        test_file = rasa_runs.write_nlu(root / f"fold{i}" / "test.yml", test)
        print(f"==> {candidate.name}: fold {i + 1}/{k}", flush=True)
        if config is None:
            predictions += evaluation.predict_with_baseline(
                settings, str(test_file), str(train_file.parent)
            )
            continue
        model = rasa_runs.train_nlu(settings, config, train_file.parent, root, f"fold{i}")
        seconds.append(model.seconds)
        predictions += evaluation.predict_with_model(settings, model.path, str(test_file))
    save_predictions(root / "predictions.jsonl", predictions)
    metrics = evaluation.score(f"{candidate.name} ({k}-fold CV)", predictions)
    best, grid = thresholds.choose(predictions)
    report = {
        "candidate": candidate.name,
        "folds": k,
        "seed": CV_SEED,
        "accuracy": metrics.accuracy,
        "macro_f1": metrics.macro_f1,
        "train_seconds_per_fold": seconds,
        "clarify_cost": thresholds.CLARIFY_COST,
        "chosen": asdict(best),
        "grid": [asdict(c) for c in grid],
    }
    (root / "cv.json").write_text(json.dumps(report, indent=2))
    return f"{metrics.line()}\nfallback thresholds chosen on CV: {best.line()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nlu.compare", description=__doc__)
    parser.add_argument("--only", help="comma-separated candidate names (default: all)")
    parser.add_argument("--cv", action="append", default=[], help="cross-validate NAME")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--list", action="store_true", help="list the candidates")
    args = parser.parse_args(argv)
    names = {c.name: c for c in CANDIDATES}
    if args.list:
        for c in CANDIDATES:
            print(f"{c.name:<24} {c.description}")
        return 0
    wanted = args.only.split(",") if args.only else ([] if args.cv else list(names))
    unknown = [n for n in [*wanted, *args.cv] if n not in names]
    if unknown:
        print(f"unknown candidates: {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    try:
        for name in args.cv:
            print(cross_validate(settings, names[name], args.folds))
        if wanted:
            print(compare(settings, wanted))
    except (rasa_runs.BenchmarkFailed, evaluation.EvaluationFailed) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
