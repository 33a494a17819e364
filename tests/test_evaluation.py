from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.evaluation import (
    DialogueResult,
    EvaluationFailed,
    Prediction,
    build,
    build_text,
    confusion_svg,
    render_html,
    score,
    with_unseen,
)
from bot.training import TrainedModel, training_hash


def p(expected: str, predicted: str, ranking: list[tuple[str, float]] | None = None) -> Prediction:
    return Prediction("tekst", expected, predicted, 0.9, ranking or [(predicted, 0.9)])


def test_scores_count_a_fallback_as_wrong_but_report_the_top_topic() -> None:
    predictions = [
        p("a", "a"),
        p("a", "b"),
        p("b", "b"),
        p("b", "nlu_fallback", [("nlu_fallback", 0.4), ("b", 0.35)]),
    ]
    m = score("test", predictions)
    assert m.accuracy == 0.5
    assert m.top_topic_accuracy == 0.75
    assert m.fallback_rate == 0.25
    assert m.per_topic["a"].precision == 1.0 and m.per_topic["a"].recall == 0.5
    assert m.per_topic["b"].precision == 0.5 and m.per_topic["b"].recall == 0.5
    assert m.macro_f1 == round((2 / 3 + 0.5) / 2, 4)
    assert ("a", "b", 1) in m.confusions


def test_accuracy_is_also_reported_on_questions_that_are_not_training_data() -> None:
    predictions = [
        Prediction("Hei", "smalltalk.hilsen", "smalltalk.hilsen", 0.9),
        Prediction("kan  ungen elske begge?", "a", "a", 0.9),
        Prediction("noe helt nytt", "a", "b", 0.9),
    ]
    seen = {"hei", "noe annet"}
    m = with_unseen(score("landsby", predictions), predictions, seen)
    assert (m.unseen_accuracy, m.unseen_n) == (0.5, 2)
    assert "not in training 0.500 (n=2)" in m.line()
    assert "<td>0.500 (2)</td>" in render_html([m], {}, "t.yml", DialogueResult(1, 0, 1.0))
    all_seen = with_unseen(m, predictions[:1], {"hei"})
    assert all_seen.unseen_accuracy is None and "not in training" not in all_seen.line()


def test_no_predictions_is_an_error() -> None:
    with pytest.raises(EvaluationFailed):
        score("empty", [])


def test_report_and_matrix_escape_text() -> None:
    predictions = [p("<a>", "<a>"), p("<a>", "b&c")]
    m = score("x<y", predictions)
    page = render_html([m], {}, "tests/nlu/heldout.yml", DialogueResult(4, 1, 0.9))
    svg = confusion_svg(m, predictions)
    assert "&lt;a&gt;" in page and "x&lt;y" in page
    assert "&lt;a&gt;" in svg and "b&amp;c" in svg and svg.startswith("<svg")


def test_dialogue_line() -> None:
    assert DialogueResult(4, 1, 0.9).line() == "test stories: 3/4 passed, action accuracy 0.900"


def test_report_states_train_time_and_model_size() -> None:
    m = score("landsby", [p("a", "a")])
    baseline = score("tfidf-logreg", [p("a", "a")])
    built = {"landsby": TrainedModel(Path("m.tar.gz"), 31.4, 2.71)}
    page = render_html([m, baseline], built, "tests/nlu/heldout.yml", DialogueResult(4, 0, 1.0))
    assert "<td>31 s</td><td>2.7 MB</td>" in page
    assert "<td>in memory</td><td>not saved</td>" in page
    assert build_text(None) == ("in memory", "not saved")


def test_a_recorded_build_is_reused_without_training(settings: Settings) -> None:
    stem = f"landsby-{training_hash(settings.root)}"
    folder = settings.models_dir / "evaluate"
    folder.mkdir(parents=True)
    (folder / f"{stem}.tar.gz").write_bytes(b"model")
    (folder / f"{stem}.build.json").write_text('{"seconds": 12.5, "megabytes": 0.5}')
    model = build(settings, "config.yml", "landsby")
    assert model == TrainedModel(folder / f"{stem}.tar.gz", 12.5, 0.5)
