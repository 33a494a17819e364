"""Which parts of the Norwegian normaliser help? Cross-validation on data/nlu only.

    .venv-engine/bin/python -m bench.nlu.ablation      (engine environment, ≈ 4 min)

A fast stand-in for the Rasa pipeline (scikit-learn TF-IDF of the normalised word forms
+ character n-grams of the text as written, logistic regression), 5-fold stratified CV
with two shuffles, switching one normaliser option off at a time. This is how the
normaliser's defaults were chosen, without the held-out set. Prints a Markdown table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, make_pipeline

from bot.engine.components.norwegian import Lexicon, Normaliser, Options

SEEDS = (1, 2)
WORD = re.compile(r"\w+")


def _words(normaliser: Normaliser | None) -> Callable[[str], list[str]]:
    def analyse(text: str) -> list[str]:
        tokens = WORD.findall(text.lower())
        if normaliser is None:
            return tokens
        return [form for token in tokens for form in normaliser.forms(token)]

    return analyse


def _ngrams(forms: list[str], n: int) -> list[str]:
    return [" ".join(forms[i : i + k]) for k in range(1, n + 1) for i in range(len(forms) - k + 1)]


def _score(
    texts: list[str],
    labels: list[str],
    normaliser: Normaliser | None,
    chars: bool,
    max_ngram: int = 1,
) -> tuple[float, float]:
    # As Rasa's word CountVectorsFeaturizer builds sentence features: n-grams over the
    # message's normalised forms joined by spaces (`max_ngram` in config.yml).
    words = _words(normaliser)
    features = [
        (
            "words",
            TfidfVectorizer(
                analyzer=lambda text: _ngrams(words(text), max_ngram), sublinear_tf=True
            ),
        )
    ]
    if chars:
        features.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    preprocessor=lambda t: " ".join(WORD.findall(t.lower())),
                ),
            )
        )
    model = make_pipeline(FeatureUnion(features), LogisticRegression(C=20.0, max_iter=3000))
    accuracy, macro_f1 = [], []
    for seed in SEEDS:
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        predicted = cross_val_predict(model, texts, labels, cv=folds)
        accuracy.append(accuracy_score(labels, predicted))
        macro_f1.append(f1_score(labels, predicted, average="macro"))
    return float(np.mean(accuracy)), float(np.mean(macro_f1))


def main() -> int:
    data = load_data("data/nlu")
    texts = [e.get("text") for e in data.intent_examples]
    labels = [e.get("intent") for e in data.intent_examples]
    lexicon = Lexicon.full()
    full = Options()
    variants: list[tuple[str, Options | None, bool, int]] = [
        ("words as written + chars", None, True, 1),
        ("normalised words + chars (all options)", full, True, 1),
        ("  plus word bigrams (production)", full, True, 2),
        ("  plus word bigrams and trigrams", full, True, 3),
        ("  without dialect words", replace(full, dialect=False), True, 1),
        ("  without compound parts", replace(full, compounds=False), True, 1),
        ("  without lexicon lemmas", replace(full, lemmas=False), True, 1),
        ("  without stems (lemma only when known)", replace(full, stems=False), True, 1),
        ("  plus the word as written", replace(full, surface=True), True, 1),
        ("words as written, no chars", None, False, 1),
        ("normalised words, no chars", full, False, 1),
    ]
    print("| features | accuracy | macro-F1 |\n|---|---|---|")
    for name, options, chars, max_ngram in variants:
        normaliser = Normaliser(lexicon, options) if options else None
        accuracy, macro_f1 = _score(texts, labels, normaliser, chars, max_ngram)
        print(f"| {name} | {accuracy:.3f} | {macro_f1:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
