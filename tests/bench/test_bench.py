"""The benchmark plumbing (no training): data conversion, folds, thresholds, statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench import rasa_runs
from bench.nlu import compare, cutoffs, thresholds
from bench.norsid import run as norsid
from bot.evaluation import Prediction


def p(expected: str, ranking: list[tuple[str, float]]) -> Prediction:
    return Prediction("t", expected, ranking[0][0], ranking[0][1], ranking)


def test_nlu_yaml_round_trip_keeps_text_and_drops_control_characters(tmp_path: Path) -> None:
    examples = [("Hva er samvær?", "samvaer.plan"), ("kva # er\x07 det", "a"), ("  ", "a")]
    path = rasa_runs.write_nlu(tmp_path / "nlu.yml", examples, {"x/y": "x/y: tekst"})
    assert rasa_runs.read_examples(path) == [
        ("Hva er samvær?", "samvaer.plan"),
        ("kva # er det", "a"),
    ]
    assert yaml.safe_load(path.read_text())["responses"] == {"utter_x/y": [{"text": "x/y: tekst"}]}
    assert rasa_runs.read_examples(tmp_path) == rasa_runs.read_examples(path)


def test_folds_are_stratified_disjoint_and_reproducible() -> None:
    examples = [(f"{intent} {i}", intent) for intent in "abc" for i in range(7)]
    folds = rasa_runs.stratified_folds(examples, 3, seed=1)
    assert sorted(e for fold in folds for e in fold) == sorted(examples)
    for fold in folds:
        counts = [sum(i == x for _, i in fold) for x in "abc"]
        assert all(2 <= c <= 3 for c in counts)
    assert folds == rasa_runs.stratified_folds(examples, 3, seed=1)


def test_retrieval_conversion_and_cv_config(tmp_path: Path) -> None:
    source = rasa_runs.write_nlu(
        tmp_path / "in.yml", [("hei", "smalltalk.hilsen"), ("x", "menneske")]
    )
    converted = compare.retrieval_data(source, tmp_path / "out")
    assert rasa_runs.read_examples(converted) == [("hei", "smalltalk/hilsen"), ("x", "menneske")]
    config = compare.without_fallback(
        Path(compare.__file__).parent / "normaliser-linear.yml", tmp_path / "cv.yml"
    )
    fallback = yaml.safe_load(config.read_text())["pipeline"][-1]
    assert fallback == {"name": "FallbackClassifier", "threshold": 0.0, "ambiguity_threshold": 0.0}


def test_threshold_choice_trades_wrong_answers_against_clarifications() -> None:
    predictions = [
        p("a", [("a", 0.9), ("b", 0.1)]),
        p("a", [("b", 0.3), ("a", 0.28)]),  # wrong and unsure: worth a question
        p("b", [("b", 0.35), ("a", 0.1)]),  # right but unsure
        p("b", [("b", 0.8), ("a", 0.1)]),
    ]
    choice = thresholds.evaluate(predictions, threshold=0.32, ambiguity=0.0)
    assert (choice.wrong_answers, choice.clarifications, choice.caught_errors) == (0, 1, 1)
    assert choice.cost == 0.5
    best, grid = thresholds.choose(predictions)
    assert best.cost == 0.5 and len(grid) == len(thresholds.THRESHOLDS) * len(
        thresholds.AMBIGUITIES
    )
    assert thresholds.evaluate(predictions, 0.05, 0.0).cost == 1.0


def test_mcnemar_is_symmetric_and_exact() -> None:
    right = [p("a", [("a", 1.0)])] * 10
    wrong = [p("a", [("b", 1.0)])] * 10
    assert compare.mcnemar(right, right)["p_value"] == 1.0
    result = compare.mcnemar(wrong, right)
    assert result["only_candidate_right"] == 10 and result["only_reference_right"] == 0
    assert result["p_value"] == pytest.approx(2 / 2**10, abs=1e-4)


CONLL = """# id = 3/B
# text = Hvor varmt er det?
# intent = weather/find
# dialect = B
1\tHvor\tweather/find\tO

# id = 3/8
# text = Kor varmt e det?
# intent = weather/find
# dialect = V
1\tKor\tweather/find\tO

# id = 4/1
# text = Hvor varmt er det?
# intent = weather/find
# dialect = N
"""


def test_norsid_conversion_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "x.conll"
    path.write_text(CONLL)
    sentences = norsid.read_conll(path)
    assert [(s.intent, s.dialect) for s in sentences] == [
        ("weather.find", "B"),
        ("weather.find", "V"),
        ("weather.find", "N"),
    ]
    # Rasa drops the duplicate text; both sentences get its prediction back.
    predicted = [
        Prediction("Hvor varmt er det?", "weather.find", "weather.find", 0.9),
        Prediction("Kor varmt e det?", "weather.find", "alarm", 0.5),
    ]
    expanded = norsid.expand(sentences, predicted)
    assert [e.predicted for e in expanded] == ["weather.find", "alarm", "weather.find"]
    assert norsid.scores(expanded)["intent_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    with pytest.raises(rasa_runs.BenchmarkFailed):
        norsid.expand(sentences, predicted[:1])


def test_threshold_choice_keeps_right_answers() -> None:
    # Asking back on the four unsure turns would be cheapest (cost 2.0 vs 3.0), but it
    # turns half of the right answers into questions: only genuinely unclear ones may go.
    predictions = [
        p("a", [("a", 0.9), ("b", 0.1)]),
        p("a", [("a", 0.95), ("b", 0.05)]),
        p("a", [("a", 0.3), ("b", 0.2)]),
        p("b", [("b", 0.3), ("a", 0.2)]),
        p("a", [("b", 0.3), ("a", 0.2)]),
        p("a", [("b", 0.1), ("a", 0.05)]),
    ]
    best, _ = thresholds.choose(predictions)
    assert best.lost_right == 0 and best.caught_errors == 1 and best.wrong_answers == 1


def test_cutoffs_come_from_cross_validated_predictions() -> None:
    predictions = [
        *[p("a", [("a", 0.9), ("b", 0.1)])] * 40,
        *[p("b", [("b", 0.6), ("a", 0.3)])] * 5,
        *[p("a", [("b", 0.6), ("a", 0.3)])] * 3,
        p("krise.selvmord", [("krise.selvmord", 0.12), ("a", 0.1), ("b", 0.08)]),
        p("b", [("a", 0.1), ("b", 0.09), ("krise.akutt_fare", 0.05)]),
    ]
    found = cutoffs.derive(predictions)
    assert found.fallback_threshold == 0.11
    # the right topic stays among the buttons; the crisis topic never is one
    assert 0.01 <= found.clarify_min_confidence <= 0.09
    assert 0.6 < found.low_confidence <= 0.9


def test_the_left_out_file_is_the_only_one_missing_from_the_training_copy(
    tmp_path: Path,
) -> None:
    data = tmp_path / "nlu"
    for name in ("samvaer.yml", "other_authors/a.yml", "other_authors/b.yml", "reviewed/x.yml"):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(f'version: "3.1"\n# {name}\n')
    target = tmp_path / "train"
    (target / "stale.yml").parent.mkdir(parents=True)
    (target / "stale.yml").write_text("left from an earlier run")

    copy = cutoffs.copy_without(data, data / "other_authors" / "a.yml", target)

    found = sorted(str(p.relative_to(copy)) for p in copy.rglob("*.yml"))
    assert found == ["other_authors/b.yml", "reviewed/x.yml", "samvaer.yml"]
    assert (copy / "reviewed/x.yml").read_text() == (data / "reviewed/x.yml").read_text()
