"""Honest NLU evaluation on the held-out set (`tests/nlu/heldout.yml`, never trained on).

`landsby evaluate` trains the production pipeline on the training data (timed, from a cold
cache; reused while data and code are unchanged), predicts every held-out question and, with
`--compare`, does the same for Rasa's default pipeline and a TF-IDF + logistic-regression
baseline trained on the same data. It writes `var/reports/<run>/` (metrics.json, index.html and a
confusion-matrix SVG per system) and prints a summary.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bot import training
from bot.config import Settings
from bot.nlu_data import example_texts, normalise
from bot.topics import FALLBACK_INTENT

DEFAULT_TEST_FILE = "tests/nlu/heldout.yml"
PRODUCTION_CONFIG = "config.yml"
RASA_DEFAULT_CONFIG = "bench/nlu/rasa-default.yml"
TRAINING_DATA = "data/nlu"


class EvaluationFailed(Exception):
    pass


@dataclass(frozen=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)

    @property
    def top_topic(self) -> str:
        """The likeliest real topic, ignoring the fallback decision."""
        return next((n for n, _ in self.ranking if n != FALLBACK_INTENT), self.predicted)


@dataclass(frozen=True)
class TopicScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Metrics:
    """Scores of one system; a fallback ("I did not understand") counts as wrong."""

    system: str
    accuracy: float
    macro_f1: float
    top_topic_accuracy: float
    fallback_rate: float
    per_topic: dict[str, TopicScore]
    confusions: list[tuple[str, str, int]]
    n: int
    # the same accuracy on the questions that are not training data word for word
    unseen_accuracy: float | None = None
    unseen_n: int = 0

    def line(self) -> str:
        unseen = (
            f"  not in training {self.unseen_accuracy:.3f} (n={self.unseen_n})"
            if self.unseen_accuracy is not None
            else ""
        )
        return (
            f"{self.system:<14} accuracy {self.accuracy:.3f}  macro-F1 {self.macro_f1:.3f}  "
            f"top-topic accuracy {self.top_topic_accuracy:.3f}  fallback {self.fallback_rate:.1%}"
            f"{unseen}"
        )


def score(system: str, predictions: list[Prediction]) -> Metrics:
    if not predictions:
        raise EvaluationFailed(f"{system}: no predictions")
    topics = sorted({p.expected for p in predictions})
    per_topic: dict[str, TopicScore] = {}
    f1_scores: list[float] = []
    for topic in topics:
        tp = sum(p.expected == topic and p.predicted == topic for p in predictions)
        predicted = sum(p.predicted == topic for p in predictions)
        support = sum(p.expected == topic for p in predictions)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1_scores.append(f1)
        per_topic[topic] = TopicScore(round(precision, 4), round(recall, 4), round(f1, 4), support)
    n = len(predictions)
    errors = Counter((p.expected, p.predicted) for p in predictions if p.expected != p.predicted)
    return Metrics(
        system=system,
        accuracy=round(sum(p.expected == p.predicted for p in predictions) / n, 4),
        macro_f1=round(sum(f1_scores) / len(f1_scores), 4),
        top_topic_accuracy=round(sum(p.expected == p.top_topic for p in predictions) / n, 4),
        fallback_rate=round(sum(p.predicted == FALLBACK_INTENT for p in predictions) / n, 4),
        per_topic=per_topic,
        confusions=[(e, p, c) for (e, p), c in errors.most_common(15)],
        n=n,
    )


def with_unseen(metrics: Metrics, predictions: list[Prediction], seen: set[str]) -> Metrics:
    """`metrics` with the accuracy on the questions whose text is not in `seen`."""
    unseen = [p for p in predictions if normalise(p.text) not in seen]
    if not unseen:
        return replace(metrics, unseen_accuracy=None, unseen_n=0)
    right = sum(p.predicted == p.expected for p in unseen)
    return replace(metrics, unseen_accuracy=round(right / len(unseen), 4), unseen_n=len(unseen))


def _run_predictions(settings: Settings, args: list[str]) -> list[Prediction]:
    python = training.rasa_bin(settings).parent / "python"
    result = subprocess.run(
        [str(python), "-m", "bot.engine.nlu_eval", *args],
        cwd=settings.root,
        env=training.engine_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise EvaluationFailed(f"predicting failed: {result.stderr[-2000:]}")
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return [
        Prediction(
            text=r["text"],
            expected=r["expected"],
            predicted=r["predicted"],
            confidence=r["confidence"],
            ranking=[(n, c) for n, c in r["ranking"]],
        )
        for r in rows
    ]


def predict_with_model(settings: Settings, model: Path, test_file: str) -> list[Prediction]:
    return _run_predictions(settings, ["rasa", str(model), test_file])


def predict_with_baseline(
    settings: Settings, test_file: str, train_dir: str = TRAINING_DATA
) -> list[Prediction]:
    """TF-IDF + logistic regression trained on `train_dir`, predicting `test_file`."""
    return _run_predictions(settings, ["baseline", train_dir, test_file])


def build(settings: Settings, config: str, name: str) -> training.TrainedModel:
    """A model of the current training data under `config`, timed (cold: no Rasa cache).

    `rasa train` (NLU and policies) as production trains it; the model and its build
    record (`<model>.build.json`) are kept under the training data's hash, so the next run
    with the same data and code reuses both.
    """
    stem = f"{name}-{training.training_hash(settings.root)}"
    target = settings.models_dir / "evaluate" / f"{stem}.tar.gz"
    record = target.with_name(f"{stem}.build.json")
    if target.exists() and record.exists():
        built = json.loads(record.read_text())
        return training.TrainedModel(target, built["seconds"], built["megabytes"])
    target.parent.mkdir(parents=True, exist_ok=True)
    command = training.train_command(settings, target)
    command[command.index("--config") + 1] = config
    try:
        model = training.run_training(settings, command, target)
    except training.TrainingFailed as exc:
        raise EvaluationFailed(f"training with {config} failed: {exc}") from exc
    record.write_text(json.dumps(_build_record(model)))
    return model


def confusion_svg(metrics: Metrics, predictions: list[Prediction]) -> str:
    """A confusion matrix as a self-contained SVG (rows: expected, columns: predicted)."""
    labels = sorted({p.expected for p in predictions} | {p.predicted for p in predictions})
    index = {label: i for i, label in enumerate(labels)}
    counts = Counter((index[p.expected], index[p.predicted]) for p in predictions)
    support = Counter(index[p.expected] for p in predictions)
    cell, margin = 14, 230
    size = margin + cell * len(labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'font-family="sans-serif" font-size="10">',
        f"<title>Confusion matrix: {html.escape(metrics.system)}</title>",
    ]
    for label, i in index.items():
        y = margin + i * cell + cell - 3
        parts.append(
            f'<text x="{margin - 4}" y="{y}" text-anchor="end">{html.escape(label)}</text>'
        )
        parts.append(
            f'<text transform="translate({margin + i * cell + cell - 3},{margin - 4}) rotate(-90)">'
            f"{html.escape(label)}</text>"
        )
    for (row, col), count in counts.items():
        share = count / support[row] if support[row] else 0
        color = "#1b7837" if row == col else "#b2182b"
        parts.append(
            f'<rect x="{margin + col * cell}" y="{margin + row * cell}" width="{cell}" '
            f'height="{cell}" fill="{color}" fill-opacity="{0.15 + 0.85 * share:.2f}">'
            f"<title>{html.escape(labels[row])} → {html.escape(labels[col])}: "
            f"{count}</title></rect>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def build_text(model: training.TrainedModel | None) -> tuple[str, str]:
    """(train time, model size) as the report shows them; the baseline is never saved."""
    if model is None:
        return "in memory", "not saved"
    return f"{model.seconds:.0f} s", f"{model.megabytes:.1f} MB"


def _unseen_text(m: Metrics) -> str:
    return "—" if m.unseen_accuracy is None else f"{m.unseen_accuracy:.3f} ({m.unseen_n})"


def render_html(
    results: list[Metrics],
    builds: dict[str, training.TrainedModel],
    test_file: str,
    dialogue: DialogueResult,
) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(m.system)}</th><td>{m.accuracy:.3f}</td><td>{m.macro_f1:.3f}</td>"
        f"<td>{m.top_topic_accuracy:.3f}</td><td>{m.fallback_rate:.1%}</td><td>{m.n}</td>"
        f"<td>{_unseen_text(m)}</td>"
        + "".join(f"<td>{cell}</td>" for cell in build_text(builds.get(m.system)))
        + "</tr>"
        for m in results
    )
    sections = []
    for m in results:
        topics = "".join(
            f"<tr><th>{html.escape(t)}</th><td>{s.precision:.2f}</td><td>{s.recall:.2f}</td>"
            f"<td>{s.f1:.2f}</td><td>{s.support}</td></tr>"
            for t, s in sorted(m.per_topic.items(), key=lambda kv: kv[1].f1)
        )
        confusions = "".join(
            f"<li>{html.escape(e)} → {html.escape(p)}: {c}</li>" for e, p, c in m.confusions
        )
        sections.append(
            f"<h2>{html.escape(m.system)}</h2><h3>Worst confusions</h3><ul>{confusions}</ul>"
            f'<img src="confusion-{html.escape(m.system)}.svg" alt="Confusion matrix of '
            f'{html.escape(m.system)}"><h3>Per topic (worst first)</h3><table><tr><th>topic</th>'
            f"<th>precision</th><th>recall</th><th>F1</th><th>n</th></tr>{topics}</table>"
        )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Landsby NLU evaluation</title>"
        f"<h1>NLU evaluation on {html.escape(test_file)}</h1>"
        "<p>Held-out questions, never trained on. A fallback counts as wrong; "
        "top-topic accuracy ignores the fallback threshold. Train time: wall clock of "
        "<code>rasa train</code> (NLU and policies, cold cache, Rasa's start-up included) "
        "on this machine.</p>"
        "<table><tr><th>system</th><th>accuracy</th><th>macro-F1</th><th>top-topic acc.</th>"
        "<th>fallback</th><th>n</th><th>accuracy on questions not in the training data "
        "(n)</th><th>train time</th><th>model size</th></tr>"
        f"{rows}</table>"
        f"<p>Dialogue ({TEST_STORIES}): {html.escape(dialogue.line())}</p>"
        f"{''.join(sections)}</html>"
    )


TEST_STORIES = "tests/stories"


@dataclass(frozen=True)
class DialogueResult:
    """`rasa test core` on the multi-turn test stories."""

    stories: int
    failed: int
    action_accuracy: float

    def line(self) -> str:
        return (
            f"test stories: {self.stories - self.failed}/{self.stories} passed, "
            f"action accuracy {self.action_accuracy:.3f}"
        )


def test_stories(settings: Settings, model: Path, out_dir: Path) -> DialogueResult:
    core_dir = out_dir / "core"
    command = [
        str(training.rasa_bin(settings)),
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        TEST_STORIES,
        "--out",
        str(core_dir),
    ]
    result = subprocess.run(
        command,
        cwd=settings.root,
        env=training.engine_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    report_file = core_dir / "story_report.json"
    if result.returncode != 0 or not report_file.exists():
        raise EvaluationFailed(f"rasa test core failed: {result.stderr[-2000:]}")
    stories = sum(
        line.lstrip().startswith("- story:")
        for path in Path(settings.root, TEST_STORIES).glob("*.yml")
        for line in path.read_text().splitlines()
    )
    failed_file = core_dir / "failed_test_stories.yml"
    failed = (
        sum(line.lstrip().startswith("- story:") for line in failed_file.read_text().splitlines())
        if failed_file.exists()
        else 0
    )
    accuracy = float(json.loads(report_file.read_text())["accuracy"])
    return DialogueResult(stories=stories, failed=failed, action_accuracy=accuracy)


@dataclass(frozen=True)
class Report:
    results: list[Metrics]
    builds: dict[str, training.TrainedModel]  # by system; the baseline has none
    dialogue: DialogueResult
    out_dir: Path

    def summary(self) -> str:
        lines = [
            "{}  train {}  model {}".format(m.line(), *build_text(self.builds.get(m.system)))
            for m in self.results
        ]
        lines.append(self.dialogue.line())
        first = self.results[0]
        worst = sorted(first.per_topic.items(), key=lambda kv: kv[1].f1)[:5]
        lines.append(f"weakest topics ({first.system}):")
        lines += [f"  {t}: F1 {s.f1:.2f} (n={s.support})" for t, s in worst]
        lines.append(f"report: {self.out_dir / 'index.html'}")
        return "\n".join(lines)


def evaluate(
    settings: Settings, test_file: str = DEFAULT_TEST_FILE, compare: bool = False
) -> Report:
    """Train on the training data (or reuse that build), predict `test_file`, write a report."""
    builds = {"landsby": build(settings, PRODUCTION_CONFIG, "landsby")}
    if compare:
        builds["rasa-default"] = build(settings, RASA_DEFAULT_CONFIG, "rasa-default")
    systems = [
        (name, predict_with_model(settings, model.path, test_file))
        for name, model in builds.items()
    ]
    if compare:
        systems.append(("tfidf-logreg", predict_with_baseline(settings, test_file)))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = settings.var_dir / "reports" / f"nlu-{stamp}"
    out_dir.mkdir(parents=True, exist_ok=True)
    seen = example_texts(settings.root / TRAINING_DATA)
    results = []
    for name, predictions in systems:
        metrics = with_unseen(score(name, predictions), predictions, seen)
        results.append(metrics)
        (out_dir / f"confusion-{name}.svg").write_text(confusion_svg(metrics, predictions))
        (out_dir / f"predictions-{name}.jsonl").write_text(
            "\n".join(json.dumps(asdict(p), ensure_ascii=False) for p in predictions)
        )
    (out_dir / "metrics.json").write_text(
        json.dumps(
            [asdict(m) | {"build": _build_record(builds.get(m.system))} for m in results],
            indent=2,
            ensure_ascii=False,
        )
    )
    dialogue = test_stories(settings, builds["landsby"].path, out_dir)
    (out_dir / "index.html").write_text(render_html(results, builds, test_file, dialogue))
    return Report(results=results, builds=builds, dialogue=dialogue, out_dir=out_dir)


def _build_record(model: training.TrainedModel | None) -> dict[str, float] | None:
    return None if model is None else {"seconds": model.seconds, "megabytes": model.megabytes}
