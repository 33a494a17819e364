"""Shared helpers of the benchmarks: NLU YAML in and out, training runs, folds.

Metrics are not computed here: `bot.evaluation.score` is the single definition of
accuracy, macro-F1 and fallback rate, for `landsby evaluate` and every benchmark.
"""

from __future__ import annotations

import random
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from bot import training
from bot.config import Settings

Example = tuple[str, str]  # (text, intent)


class BenchmarkFailed(Exception):
    pass


def read_examples(path: Path) -> list[Example]:
    """(text, intent) pairs of a Rasa NLU YAML file or of every such file under a folder."""
    files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    examples: list[Example] = []
    for file in files:
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    examples.append((line.strip()[2:].strip(), str(block["intent"])))
    return examples


def clean_text(text: str) -> str:
    """One line, no control characters: safe inside a YAML block scalar."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def write_nlu(
    path: Path, examples: Iterable[Example], responses: dict[str, str] | None = None
) -> Path:
    """Write examples (and retrieval responses, if any) as Rasa 3.1 NLU YAML."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for text, intent in examples:
        if clean_text(text):
            grouped[intent].append(clean_text(text))
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in grouped.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    if responses:
        lines.append("responses:")
        for name, text in responses.items():
            lines += [f"  utter_{name}:", f"  - text: {yaml.safe_dump(text).splitlines()[0]}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stratified_folds(examples: Sequence[Example], k: int, seed: int) -> list[list[Example]]:
    """k folds with each intent's examples spread evenly (shuffled with `seed`)."""
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example[1]].append(example)
    rng = random.Random(seed)
    folds: list[list[Example]] = [[] for _ in range(k)]
    offset = 0
    for intent in sorted(by_intent):
        items = by_intent[intent]
        rng.shuffle(items)
        for i, example in enumerate(items):
            folds[(i + offset) % k].append(example)
        offset += len(items)
    return folds


def train_nlu(
    settings: Settings, config: Path, data: Path, out_dir: Path, name: str
) -> training.TrainedModel:
    """`rasa train nlu` of `config` on `data`; wall-clock time includes Rasa's start-up."""
    target = out_dir / f"{name}.tar.gz"
    target.unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(training.rasa_bin(settings)),
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(data),
        "--out",
        str(out_dir),
        "--fixed-model-name",
        name,
    ]
    log = out_dir / f"{name}.train.log"
    with log.open("w") as handle:
        try:
            return training.run_training(
                settings, command, target, stdout=handle, stderr=subprocess.STDOUT
            )
        except training.TrainingFailed as exc:
            raise BenchmarkFailed(f"training {name} with {config} failed; see {log}") from exc


def engine_python(settings: Settings) -> Path:
    return training.rasa_bin(settings).parent / "python"


def ensure_spacy_model(settings: Settings) -> None:
    """Build the blank `nb` spaCy folder (var/spacy/nb_blank) when it is missing."""
    subprocess.run(
        [str(engine_python(settings)), "-m", "bot.engine.components.build_spacy"],
        cwd=settings.root,
        env=training.engine_env(settings),
        check=True,
        capture_output=True,
    )
