"""The example texts of Rasa NLU YAML files, read without Rasa (app environment).

Used to keep review exports from duplicating training or test data and to tell which
held-out questions are also training data word for word.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml


def normalise(text: str) -> str:
    """The form in which two examples count as the same: case and spacing aside."""
    return " ".join(text.casefold().split())


def _examples_in(data: Any) -> Iterable[str]:
    for item in (data or {}).get("nlu") or []:
        examples = item.get("examples") if isinstance(item, dict) else None
        if isinstance(examples, str):
            for line in examples.splitlines():
                if line.strip().startswith("- "):
                    yield line.strip()[2:]
        elif isinstance(examples, list):
            yield from (str(e.get("text", "")) for e in examples if isinstance(e, dict))


def example_texts(*folders: Path) -> set[str]:
    """Every example of every NLU YAML file under `folders`, normalised."""
    known: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*.yml")):
            if path.is_file():
                document = yaml.safe_load(path.read_text(encoding="utf-8"))
                known |= {normalise(t) for t in _examples_in(document)}
    return known
