"""`landsby review export`: approved annotations → `data/nlu/reviewed/<yyyy-mm>.yml`.

Rasa NLU format with per-example provenance in `metadata:`. An example is left out when
its text (case and spacing aside) is already training or held-out data, when it still
holds personal data, or when it concerns a crisis: crisis examples are written by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine

from bot.nlu_data import example_texts, normalise
from bot.review import annotation
from bot.safety import crisis
from bot.safety.redact import contains_personal_data
from bot.topics import CRISIS_TOPICS

REVIEWED_DIR = "data/nlu/reviewed"
HEADER = (
    "# Reviewed examples from real (redacted) conversations, written by "
    "`landsby review export`.\n# Provenance is in each example's metadata; "
    "edit or remove examples by hand if needed.\n"
)
# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" as entity annotations.
_ENTITY_MARKUP = re.compile(r"\[[^\]]*\]\s*[\(\{\[]")


def known_examples(root: Path) -> set[str]:
    """Every training example and every example of the evaluation sets, normalised."""
    return example_texts(root / "data" / "nlu", root / "tests" / "nlu")


def refusal(annotation: annotation.Annotation) -> str | None:
    """Why an approved annotation must not become training data, if it must not."""
    if annotation.topic in CRISIS_TOPICS or crisis.detect(annotation.text) is not None:
        return "crisis"
    if contains_personal_data(annotation.text):
        return "personal data"
    if _ENTITY_MARKUP.search(annotation.text):
        return "entity markup"
    return None


@dataclass
class ExportResult:
    path: Path | None = None
    written: int = 0
    duplicates: int = 0
    refused: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        refused = ", ".join(f"{n} {why}" for why, n in sorted(self.refused.items())) or "none"
        where = f" to {self.path}" if self.path else ""
        return (
            f"exported {self.written} examples{where}; "
            f"{self.duplicates} already in the data; refused: {refused}"
        )


def _provenance(a: annotation.Annotation, exported: dt.datetime) -> dict[str, Any]:
    return {
        "source": "landsby-review",
        "annotation": a.id,
        "label": a.label,
        "predicted": a.predicted,
        "confidence": a.confidence,
        "lang": a.lang,
        "said": a.said_at.date().isoformat(),
        "reviewed_by": a.reviewer,
        "reviewed": a.reviewed_at.date().isoformat(),
        "exported": exported.date().isoformat(),
    }


def _merge(path: Path, new: dict[str, list[dict[str, Any]]]) -> None:
    existing = yaml.safe_load(path.read_text()) if path.exists() else None
    by_intent: dict[str, list[dict[str, Any]]] = {}
    for item in (existing or {}).get("nlu") or []:
        by_intent.setdefault(item["intent"], []).extend(item.get("examples") or [])
    for intent, examples in new.items():
        by_intent.setdefault(intent, []).extend(examples)
    document = {
        "version": "3.1",
        "nlu": [{"intent": i, "examples": by_intent[i]} for i in sorted(by_intent)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(HEADER + body)


def export(app_db: Engine, root: Path, now: dt.datetime | None = None) -> ExportResult:
    """Write every approved, not yet exported example; record what happened to each."""
    now = now or dt.datetime.now(dt.UTC)
    path = root / REVIEWED_DIR / f"{now:%Y-%m}.yml"
    known = known_examples(root)
    result = ExportResult()
    new: dict[str, list[dict[str, Any]]] = {}
    outcomes: list[tuple[int, str | None, str | None]] = []
    for a in annotation.pending_export(app_db):
        text = " ".join(a.text.split())
        reason = refusal(a)
        if reason is not None:
            result.refused[reason] = result.refused.get(reason, 0) + 1
            outcomes.append((a.id, None, reason))
        elif normalise(text) in known:
            result.duplicates += 1
            outcomes.append((a.id, None, "duplicate"))
        else:
            known.add(normalise(text))
            assert a.topic is not None  # approved annotations carry a topic
            new.setdefault(a.topic, []).append({"text": text, "metadata": _provenance(a, now)})
            outcomes.append((a.id, path.relative_to(root).as_posix(), None))
            result.written += 1
    if new:
        _merge(path, new)
        result.path = path
    annotation.mark_exported(app_db, outcomes, now)
    return result
