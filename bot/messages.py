"""System messages (welcome, errors, notices) in nb, nn and en, from data/messages.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT

MESSAGES_FILE = PROJECT_ROOT / "data" / "messages.yml"


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of message names")
    return data


def message(name: str, lang: str = "nb", **values: object) -> str:
    """The system message `name` in `lang` (bokmål if that standard is missing)."""
    texts = _load(MESSAGES_FILE)[name]
    text = texts.get(lang) or texts["nb"]
    return text.format(**values) if values else text
