"""Landsby's NLU pipeline on NorSID: trained on its dev set, tested on its test set.

    python -m bench.norsid.run [--source DIR] [--config config.yml]

NorSID (VarDial 2025; Norwegian intents in bokmål and three dialect groups) is an
external check that the chosen pipeline is not tuned to Landsby's own phrasing. It is
used for evaluation only: the converted copies live in var/bench/norsid/, never in
data/. Writes var/bench/norsid/report.json (report-<config>.json for another --config).

Intent names such as "weather/find" contain "/", which Rasa reads as a retrieval intent;
they are written with "." instead. The headline figure is intent accuracy without the
fallback decision, as on the shared task's leaderboard; accuracy with the configured
FallbackClassifier (a fallback counts as wrong) is reported next to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench import rasa_runs
from bot import evaluation
from bot.config import Settings
from bot.evaluation import Prediction

DIALECTS = ("B", "N", "T", "V")
# results.md of ltgoslo/NoMusic NorSID (intent accuracy on the test set).
LEADERBOARD = {
    "LTG 3 (NB-BERT, best)": {"B": 0.980, "N": 0.972, "T": 0.9827, "V": 0.982, "overall": 0.9802},
    "MaiNLP 3 (mDeBERTa)": {"B": 0.978, "N": 0.969, "T": 0.980, "V": 0.9768, "overall": 0.9764},
    "CUFE 1": {"B": 0.964, "N": 0.933, "T": 0.958, "V": 0.9356, "overall": 0.9438},
    "Baseline (mBERT)": {"B": 0.864, "N": 0.826, "T": 0.8333, "V": 0.848, "overall": 0.8415},
}


@dataclass(frozen=True)
class Sentence:
    text: str
    intent: str
    dialect: str


def read_conll(path: Path) -> list[Sentence]:
    """The sentence-level fields (`# text`, `# intent`, `# dialect`) of a NorSID file.

    Texts are cleaned as they will be written for Rasa (a few contain stray control
    characters from broken encodings); sentences without text (one in dev) are skipped.
    Lines are split on "\n" only: `str.splitlines` would also split on those characters.
    """
    sentences: list[Sentence] = []
    fields: dict[str, str] = {}
    for line in [*path.read_text(encoding="utf-8").split("\n"), ""]:
        if line.startswith("# ") and " = " in line:
            key, value = line[2:].split(" = ", 1)
            fields[key.strip()] = value.strip()
        elif not line.strip() and fields:
            text = rasa_runs.clean_text(fields.get("text", ""))
            if text and fields.get("intent"):
                intent = fields["intent"].replace("/", ".")
                sentences.append(Sentence(text, intent, fields.get("dialect", "?")))
            fields = {}
    return sentences


def write_rasa(sentences: list[Sentence], path: Path) -> Path:
    return rasa_runs.write_nlu(path, ((s.text, s.intent) for s in sentences))


def expand(sentences: list[Sentence], predictions: list[Prediction]) -> list[Prediction]:
    """One prediction per test sentence.

    Rasa drops duplicate examples (the same text written alike in two dialects), so
    predictions are matched back by text and intent; a duplicate gets the same one.
    """
    by_key = {(p.text, p.expected): p for p in predictions}
    missing = [s for s in sentences if (s.text, s.intent) not in by_key]
    if missing:
        raise rasa_runs.BenchmarkFailed(f"{len(missing)} test sentences were not predicted")
    return [by_key[(s.text, s.intent)] for s in sentences]


def scores(predictions: list[Prediction]) -> dict[str, float]:
    metrics = evaluation.score("norsid", predictions)
    return {
        "intent_accuracy": metrics.top_topic_accuracy,
        "accuracy_with_fallback": metrics.accuracy,
        "macro_f1_with_fallback": metrics.macro_f1,
        "fallback_rate": metrics.fallback_rate,
        "n": metrics.n,
    }


def run(settings: Settings, source: Path, config: Path) -> dict[str, object]:
    root = settings.var_dir / "bench" / "norsid"
    dev = read_conll(source / "norsid_dev.conll")
    test = read_conll(source / "norsid_test.conll")
    train_dir = write_rasa(dev, root / "dev" / "nlu.yml").parent
    test_file = write_rasa(test, root / "test.yml")
    if "SpacyNLP" in config.read_text():
        rasa_runs.ensure_spacy_model(settings)
    print(f"==> training {config} on {len(dev)} NorSID dev sentences", flush=True)
    model = rasa_runs.train_nlu(settings, config, train_dir, root / "models", config.stem)
    print(f"==> predicting {len(test)} test sentences", flush=True)
    predicted = expand(test, evaluation.predict_with_model(settings, model.path, str(test_file)))
    by_dialect: dict[str, list[Prediction]] = defaultdict(list)
    for sentence, prediction in zip(test, predicted, strict=True):
        by_dialect[sentence.dialect].append(prediction)
    return {
        "config": str(config),
        "config_sha256": hashlib.sha256(config.read_bytes()).hexdigest()[:12],
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "train_sentences": len(dev),
        "test_sentences": len(test),
        "train_seconds": model.seconds,
        "model_mb": model.megabytes,
        "overall": scores(predicted),
        "per_dialect": {d: scores(by_dialect[d]) for d in DIALECTS if by_dialect[d]},
        "leaderboard": LEADERBOARD,
    }


def summary(report: dict[str, object]) -> str:
    overall = report["overall"]
    per_dialect = report["per_dialect"]
    assert isinstance(overall, dict) and isinstance(per_dialect, dict)
    cells = "  ".join(f"{d} {per_dialect[d]['intent_accuracy']:.3f}" for d in per_dialect)
    return (
        f"NorSID intent accuracy {overall['intent_accuracy']:.3f} ({cells}); "
        f"with fallback {overall['accuracy_with_fallback']:.3f}; "
        f"train {report['train_seconds']:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m bench.norsid.run", description=__doc__)
    parser.add_argument(
        "--source",
        type=Path,
        default=settings.root.parent / "shared" / "benchmarks" / "norsid",
        help="folder with norsid_dev.conll and norsid_test.conll",
    )
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    args = parser.parse_args(argv)
    config = args.config if args.config.is_absolute() else settings.root / args.config
    if not (args.source / "norsid_test.conll").exists():
        print(f"NorSID not found in {args.source} (use --source)", file=sys.stderr)
        return 2
    try:
        report = run(settings, args.source, config)
    except (rasa_runs.BenchmarkFailed, evaluation.EvaluationFailed) as exc:
        print(exc, file=sys.stderr)
        return 1
    name = "report.json" if config == settings.root / "config.yml" else f"report-{config.stem}.json"
    out = settings.var_dir / "bench" / "norsid" / name
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(summary(report))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
