from __future__ import annotations

import pytest

from bot import lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hvor ofte kan jeg se sønnen min?", "nb"),
        ("Kor ofte kan eg sjå sonen min?", "nn"),
        ("Korleis får eg meir samvær med dottera mi?", "nn"),
        ("Kva er eit familieråd?", "nn"),
        ("Jeg vet ikke hva jeg skal gjøre", "nb"),
        ("How often can I see my child?", "en"),
        ("What is a family group conference?", "en"),
        ("hvorfor ikke mer samvær", "nb"),
    ],
)
def test_detects_the_written_standard(text: str, expected: str) -> None:
    assert lang.detect(text) == expected


@pytest.mark.parametrize("previous", ["nb", "nn", "en"])
def test_neutral_messages_keep_the_sessions_standard(previous: str) -> None:
    assert lang.detect("samvær?", previous) == previous
    assert lang.detect("familieråd", previous) == previous


def test_one_english_word_in_norwegian_is_not_english() -> None:
    assert lang.detect("kan vi ha visit på skype", "nb") == "nb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skriv på nynorsk", "nn"),
        ("Kan du svare på bokmål?", "nb"),
        ("nynorsk takk", "nn"),
        ("in English please", "en"),
        ("english", "en"),
    ],
)
def test_a_request_to_switch_standard(text: str, expected: str) -> None:
    assert lang.requested_switch(text) == expected


@pytest.mark.parametrize(
    "text", ["hva er nynorsk for samvær", "kan jeg få samvær", "skriv til meg"]
)
def test_questions_are_not_switch_requests(text: str) -> None:
    assert lang.requested_switch(text) is None
