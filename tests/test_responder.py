from __future__ import annotations

from bot.kb.store import KnowledgeBase
from bot.responder import Turn, choose_topic, respond


def ranking(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_a_confident_topic_is_answered_from_its_article(kb: KnowledgeBase) -> None:
    msg = respond(kb, Turn(text="hvor ofte", intent="samvaer.hyppighet"))
    article = kb.article("samvaer.hyppighet")
    assert article is not None
    assert msg["topic"] == "samvaer.hyppighet"
    assert msg["kind"] == "answer"
    assert msg["text"] == article.text("nb").short
    assert msg["sources"] and all(s["url"].startswith("https://") for s in msg["sources"])
    assert msg["version"] == article.version
    assert {b["payload"] for b in msg["buttons"]} == {f"/{s}" for s in article.related}


def test_the_answer_follows_the_users_written_standard(kb: KnowledgeBase) -> None:
    msg = respond(kb, Turn(text="kor ofte", intent="samvaer.hyppighet", metadata={"lang": "nn"}))
    article = kb.article("samvaer.hyppighet")
    assert article is not None
    assert msg["lang"] == "nn" and msg["text"] == article.text("nn").short


def test_english_gets_a_summary_and_the_offer_of_the_norwegian_article(kb: KnowledgeBase) -> None:
    msg = respond(kb, Turn(text="how often", intent="samvaer.hyppighet", metadata={"lang": "en"}))
    assert msg["lang"] == "en"
    assert msg["buttons"] == [
        {"title": msg["buttons"][0]["title"], "payload": "/samvaer.hyppighet?lang=nb"}
    ]


def test_the_crisis_guard_wins_over_any_prediction(kb: KnowledgeBase) -> None:
    turn = Turn(text="...", intent="smalltalk.hade", metadata={"guard": "krise.selvmord"})
    msg = respond(kb, turn)
    assert (msg["kind"], msg["topic"]) == ("crisis", "krise.selvmord")
    assert any(link["url"] == "tel:116123" for link in msg["links"])


def test_an_unknown_guard_value_is_ignored() -> None:
    turn = Turn(text="x", intent="smalltalk.hilsen", metadata={"guard": "samvaer.plan"})
    assert choose_topic(turn) == "smalltalk.hilsen"


def test_an_unsure_crisis_prediction_still_gets_the_crisis_answer() -> None:
    turn = Turn(
        text="x",
        intent="nlu_fallback",
        ranking=ranking(("nlu_fallback", 0.45), ("krise.selvmord", 0.35), ("stotte.folelser", 0.3)),
    )
    assert choose_topic(turn) == "krise.selvmord"
    # however unsure: a crisis topic ranked first is never left to a clarifying question
    faint = Turn(
        text="x",
        intent="nlu_fallback",
        ranking=ranking(("nlu_fallback", 0.15), ("krise.akutt_fare", 0.04), ("samvaer.plan", 0.03)),
    )
    assert choose_topic(faint) == "krise.akutt_fare"


def test_low_confidence_asks_with_the_likeliest_topics(kb: KnowledgeBase) -> None:
    turn = Turn(
        text="samvær",
        intent="nlu_fallback",
        ranking=ranking(
            ("nlu_fallback", 0.45),
            ("samvaer.hyppighet", 0.3),
            ("samvaer.plan", 0.25),
            ("samvaer.endring", 0.2),
            ("samvaer.digital", 0.05),
        ),
    )
    msg = respond(kb, turn)
    assert msg["kind"] == "clarify" and msg["topic"] is None
    assert [b["payload"] for b in msg["buttons"]] == [
        "/samvaer.hyppighet",
        "/samvaer.plan",
        "/samvaer.endring",
    ]


def test_no_candidates_is_an_honest_fallback_with_search_suggestions(kb: KnowledgeBase) -> None:
    turn = Turn(text="familierådet", intent="nlu_fallback", ranking=ranking(("nlu_fallback", 0.45)))
    msg = respond(kb, turn)
    assert msg["kind"] == "fallback" and msg["topic"] is None
    assert "/tilbakeforing.familierad" in [b["payload"] for b in msg["buttons"]]


def test_a_follow_up_stays_with_the_conversation() -> None:
    turn = Turn(
        text="hvor sender jeg det da?",
        intent="tilbakeforing.prosess",
        ranking=ranking(("tilbakeforing.prosess", 0.5), ("rettigheter.klage", 0.3)),
        previous_topic="rettigheter.klage",
    )
    assert choose_topic(turn) == "rettigheter.klage"


def test_an_unsure_follow_up_that_points_back_stays_with_the_previous_topic() -> None:
    # No fallback fired, but the model read the message on its own at 0.33: "det" refers
    # to what was just answered.
    turn = Turn(
        text="hvor sender jeg det da?",
        intent="tilbakeforing.prosess",
        ranking=ranking(("tilbakeforing.prosess", 0.33), ("samvaer.digital", 0.31)),
        previous_topic="rettigheter.klage",
    )
    assert choose_topic(turn) == "rettigheter.klage"
    sure = Turn(
        text="hvor sender jeg det da?",
        intent="tilbakeforing.prosess",
        ranking=ranking(("tilbakeforing.prosess", 0.8), ("samvaer.digital", 0.1)),
        previous_topic="rettigheter.klage",
    )
    assert choose_topic(sure) == "tilbakeforing.prosess"
    # an unsure new question with no back-reference is not pulled into the old topic
    other = Turn(
        text="og hva med advokat?",
        intent="rettigheter.advokat",
        ranking=ranking(("rettigheter.advokat", 0.35), ("rettigheter.klage", 0.02)),
        previous_topic="samvaer.hyppighet",
    )
    assert choose_topic(other) == "rettigheter.advokat"


def test_a_follow_up_may_move_within_the_theme() -> None:
    turn = Turn(
        text="og hva med søsken?",
        intent="nlu_fallback",
        ranking=ranking(("nlu_fallback", 0.45), ("samvaer.sosken", 0.3), ("stotte.tilbud", 0.2)),
        previous_topic="samvaer.hyppighet",
    )
    assert choose_topic(turn) == "samvaer.sosken"


def test_a_new_question_is_not_a_follow_up() -> None:
    turn = Turn(
        text="Hvordan klager jeg på et vedtak fra barnevernet om samvær?",
        intent="rettigheter.klage",
        ranking=ranking(("rettigheter.klage", 0.8), ("samvaer.endring", 0.1)),
        previous_topic="samvaer.hyppighet",
    )
    assert choose_topic(turn) == "rettigheter.klage"


def test_a_follow_up_without_a_plausible_topic_keeps_the_prediction() -> None:
    turn = Turn(
        text="og hva med været?",
        intent="utenfor_omfang.annet",
        ranking=ranking(("utenfor_omfang.annet", 0.9)),
        previous_topic="samvaer.hyppighet",
    )
    assert choose_topic(turn) == "utenfor_omfang.annet"


def test_a_follow_up_the_model_cannot_place_stays_on_the_previous_topic() -> None:
    turn = Turn(
        text="hvor lenge tar det?",
        intent="nlu_fallback",
        ranking=ranking(("nlu_fallback", 0.45), ("menneske", 0.07)),
        previous_topic="tilbakeforing.prosess",
    )
    assert choose_topic(turn) == "tilbakeforing.prosess"


def test_a_back_reference_the_model_is_unsure_of_stays_on_the_previous_topic() -> None:
    turn = Turn(
        text="hvor sender jeg det da?",
        intent="nlu_fallback",
        ranking=ranking(
            ("nlu_fallback", 0.45), ("smalltalk.hade", 0.18), ("rettigheter.nemnda", 0.16)
        ),
        previous_topic="rettigheter.klage",
    )
    assert choose_topic(turn) == "rettigheter.klage"
