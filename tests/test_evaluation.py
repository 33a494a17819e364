from __future__ import annotations

import pytest

from bot.evaluation import (
    DialogueResult,
    EvaluationFailed,
    Prediction,
    confusion_svg,
    render_html,
    score,
)


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


def test_no_predictions_is_an_error() -> None:
    with pytest.raises(EvaluationFailed):
        score("empty", [])


def test_report_and_matrix_escape_text() -> None:
    predictions = [p("<a>", "<a>"), p("<a>", "b&c")]
    m = score("x<y", predictions)
    page = render_html([m], "tests/nlu/heldout.yml", DialogueResult(4, 1, 0.9))
    svg = confusion_svg(m, predictions)
    assert "&lt;a&gt;" in page and "x&lt;y" in page
    assert "&lt;a&gt;" in svg and "b&amp;c" in svg and svg.startswith("<svg")


def test_dialogue_line() -> None:
    assert DialogueResult(4, 1, 0.9).line() == "test stories: 3/4 passed, action accuracy 0.900"
