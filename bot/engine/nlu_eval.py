"""Predictions on held-out NLU data, for `landsby evaluate` (runs in the engine environment).

    python -m bot.engine.nlu_eval rasa MODEL.tar.gz TEST.yml
    python -m bot.engine.nlu_eval baseline TRAIN_DIR TEST.yml

Each prints one JSON object per test example:
{"text", "expected", "predicted", "confidence", "ranking": [[name, confidence], ...]}.
The baseline is TF-IDF (words and character n-grams) + logistic regression, the simple
model any pipeline has to beat.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData


def _examples(path: str) -> list[tuple[str, str]]:
    data: TrainingData = load_data(path)
    return [(ex.get("text"), ex.get("intent")) for ex in data.intent_examples]


def _emit(text: str, expected: str, ranking: list[tuple[str, float]]) -> None:
    predicted, confidence = ranking[0] if ranking else ("", 0.0)
    print(
        json.dumps(
            {
                "text": text,
                "expected": expected,
                "predicted": predicted,
                "confidence": round(float(confidence), 4),
                "ranking": [[n, round(float(c), 4)] for n, c in ranking[:5]],
            },
            ensure_ascii=False,
        )
    )


def _expand_retrieval(
    parsed: dict[str, Any], ranking: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """Replace retrieval intents ("samvaer") by their response keys ("samvaer.hyppighet").

    A model trained on retrieval intents (`theme/topic`, answered by a ResponseSelector)
    predicts the theme as the intent and the topic as the selected response. To score it
    like a one-intent-per-topic model, each theme's confidence is shared among its
    topics in proportion to the ResponseSelector's ranking, and `/` becomes `.`.
    """
    selector = parsed.get("response_selector") or {}
    retrieval = set(selector.get("all_retrieval_intents") or [])
    if not retrieval:
        return ranking
    responses = [
        (str(r["intent_response_key"]), float(r["confidence"]))
        for result in selector.values()
        if isinstance(result, dict)
        for r in result.get("ranking") or []
    ]
    expanded: list[tuple[str, float]] = []
    for name, confidence in ranking:
        topics = [(key, c) for key, c in responses if key.split("/", 1)[0] == name]
        total = sum(c for _, c in topics)
        if name not in retrieval or total <= 0:
            expanded.append((name, confidence))
            continue
        expanded += [(key.replace("/", "."), confidence * c / total) for key, c in topics]
    # Keep a fallback decision first: it is the prediction, whatever the confidences.
    head = expanded[:1] if ranking and ranking[0][0] == "nlu_fallback" else []
    return head + sorted(expanded[len(head) :], key=lambda kv: kv[1], reverse=True)


async def _rasa(model: str, test_file: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    for text, expected in _examples(test_file):
        parsed: dict[str, Any] = await agent.parse_message(text)
        ranking = [(r["name"], r["confidence"]) for r in parsed.get("intent_ranking", [])]
        top = parsed.get("intent") or {}
        if top.get("name") and (not ranking or ranking[0][0] != top["name"]):
            ranking.insert(0, (top["name"], top.get("confidence") or 0.0))
        _emit(text, expected, _expand_retrieval(parsed, ranking))


def _baseline(train_dir: str, test_file: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from bot.engine.components.norwegian import strip_placeholders

    # Redaction placeholders carry no topic; drop them as the Rasa pipeline does.
    train = [(strip_placeholders(t), i) for t, i in _examples(train_dir)]
    model = make_pipeline(
        FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        ),
        LogisticRegression(C=20.0, max_iter=2000),
    )
    model.fit([t for t, _ in train], [i for _, i in train])
    classes = list(model.classes_)
    for text, expected in _examples(test_file):
        probabilities = model.predict_proba([strip_placeholders(text)])[0]
        ranking = sorted(
            zip(classes, probabilities, strict=True), key=lambda kv: kv[1], reverse=True
        )
        _emit(text, expected, ranking)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("rasa", "baseline"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "rasa":
        asyncio.run(_rasa(argv[1], argv[2]))
    else:
        _baseline(argv[1], argv[2])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
