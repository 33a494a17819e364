"""The crisis guard measured on a labelled set (crisis_set.yml).

Run with `pytest tests/safety/test_crisis_set.py -s` to see the numbers: recall per topic,
overall recall and the false-alarm rate. Every crisis must be caught (a missed crisis is the
one error this guard must not make); look-alikes may raise at most one false alarm in 15.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.safety.crisis import AKUTT_FARE, SELVMORD, CrisisMatch, detect

SET_FILE = Path(__file__).with_name("crisis_set.yml")
TOPICS = (SELVMORD, AKUTT_FARE)
MIN_CRISES = 70
MIN_NOT_CRISES = 50
MAX_FALSE_ALARM_RATE = 1 / 15


@dataclass(frozen=True)
class Crisis:
    text: str
    topic: str
    also: str | None  # a second topic that is equally right for a mixed message
    style: str

    def accepts(self, match: CrisisMatch | None) -> bool:
        return match is not None and match.topic in (self.topic, self.also)


@dataclass(frozen=True)
class Evaluation:
    crises: tuple[Crisis, ...]
    not_crises: tuple[str, ...]
    misses: tuple[tuple[Crisis, CrisisMatch | None], ...]
    false_alarms: tuple[tuple[str, CrisisMatch], ...]

    def recall(self, topic: str | None = None) -> float:
        cases = [c for c in self.crises if topic is None or c.topic == topic]
        missed = [c for c, _ in self.misses if topic is None or c.topic == topic]
        return 1 - len(missed) / len(cases) if cases else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / len(self.not_crises)

    def summary(self) -> str:
        lines = [f"crisis set: {len(self.crises)} crises, {len(self.not_crises)} look-alikes"]
        for topic in TOPICS:
            n = sum(c.topic == topic for c in self.crises)
            missed = sum(c.topic == topic for c, _ in self.misses)
            lines.append(f"  recall {topic}: {self.recall(topic):.3f} ({n - missed}/{n})")
        n = len(self.crises)
        lines.append(f"  recall overall: {self.recall():.3f} ({n - len(self.misses)}/{n})")
        lines.append(
            f"  false-alarm rate: {self.false_alarm_rate:.3f} "
            f"({len(self.false_alarms)}/{len(self.not_crises)}, "
            f"limit {MAX_FALSE_ALARM_RATE:.3f})"
        )
        for crisis, match in self.misses:
            got = match.topic if match else "nothing"
            lines.append(f"  MISSED ({crisis.topic}, got {got}): {crisis.text!r}")
        for text, match in self.false_alarms:
            lines.append(f"  FALSE ALARM ({match.reason}): {text!r}")
        return "\n".join(lines)


def load_set(path: Path = SET_FILE) -> tuple[tuple[Crisis, ...], tuple[str, ...]]:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    crises = tuple(
        Crisis(item["text"], item["topic"], item.get("also"), item.get("style", ""))
        for item in raw["crisis"]
    )
    not_crises = tuple(item["text"] for item in raw["not_crisis"])
    return crises, not_crises


def evaluate(crises: tuple[Crisis, ...], not_crises: tuple[str, ...]) -> Evaluation:
    misses = tuple(
        (crisis, match) for crisis in crises if not crisis.accepts(match := detect(crisis.text))
    )
    false_alarms = tuple(
        (text, match) for text in not_crises if (match := detect(text)) is not None
    )
    return Evaluation(crises, not_crises, misses, false_alarms)


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    result = evaluate(*load_set())
    print("\n" + result.summary())
    return result


def test_the_set_is_large_varied_and_well_formed() -> None:
    crises, not_crises = load_set()
    assert len(crises) >= MIN_CRISES, len(crises)
    assert len(not_crises) >= MIN_NOT_CRISES, len(not_crises)
    for crisis in crises:
        assert crisis.topic in TOPICS, crisis
        assert crisis.also in (None, *TOPICS) and crisis.also != crisis.topic, crisis
        assert crisis.text.strip(), crisis
    topics = Counter(c.topic for c in crises)
    assert min(topics[t] for t in TOPICS) >= 25, topics
    styles = Counter(c.style.split("/")[0] for c in crises)
    for style in ("bokmål", "nynorsk", "dialekt", "uten-æøå", "sms", "engelsk"):
        assert styles[style] >= 3, (style, styles)
    texts = [c.text for c in crises] + list(not_crises)
    duplicates = [t for t, n in Counter(t.casefold() for t in texts).items() if n > 1]
    assert not duplicates, duplicates


def test_every_crisis_is_caught(evaluation: Evaluation) -> None:
    assert evaluation.recall() == 1.0, evaluation.summary()
    for topic in TOPICS:
        assert evaluation.recall(topic) == 1.0, evaluation.summary()


def test_look_alikes_rarely_raise_the_alarm(evaluation: Evaluation) -> None:
    assert evaluation.false_alarm_rate <= MAX_FALSE_ALARM_RATE, evaluation.summary()
