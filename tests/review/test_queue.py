from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import feedback
from bot.review import annotation, conversations, queue
from tests.review.scenario import NOW, Scenario
from tests.trackers import FakeTracker


def _queue(scenario: Scenario, filters: queue.Filters | None = None) -> list[queue.Item]:
    found = conversations.load(scenario.tracker_db)
    with Session(scenario.app_db) as session:
        votes = [
            queue.Vote(v.session_id, v.topic, v.created.replace(tzinfo=dt.UTC).timestamp())
            for v in session.scalars(select(feedback.Feedback))
        ]
    ids = [t.message_id for c in found for t in c.turns]
    annotated = annotation.for_messages(scenario.app_db, ids)
    return queue.build(found, votes, annotated, filters or queue.Filters())


def _names(scenario: Scenario, items: list[queue.Item]) -> list[str]:
    by_id = {v: k for k, v in scenario.ids.items()}
    return [by_id[i.turn.message_id] for i in items]


def test_turns_are_parsed_from_rasa_events(scenario: Scenario) -> None:
    found = {c.sender_id: c for c in conversations.load(scenario.tracker_db)}
    [turn] = found["s-fallback-000000000000000"].turns
    assert turn.text == "kan mormor bli med når vi møtes"
    assert turn.is_fallback and turn.confidence == 0.45
    assert (turn.topic, turn.topic_confidence) == ("samvaer.besteforeldre", 0.31)
    assert turn.reply_kind == "fallback" and turn.lang == "nb"
    clarify, button = found["s-clarify-0000000000000000"].turns
    assert clarify.lang == "nn" and clarify.reply_kind == "clarify"
    assert button.is_payload and button.answered_topic == "samvaer.plan"
    [crisis] = found["s-crisis-00000000000000000"].turns
    assert crisis.crisis and not crisis.reviewable


def test_queue_ranks_turns_by_need(scenario: Scenario) -> None:
    items = _queue(scenario)
    assert _names(scenario, items) == ["clarify", "fallback", "thumbs_down", "changed", "low"]
    reasons = {
        name: item.reasons for name, item in zip(_names(scenario, items), items, strict=True)
    }
    assert reasons["clarify"] == ("fallback", "clarify")
    assert reasons["thumbs_down"] == ("thumbs_down",)
    assert reasons["changed"] == ("topic_change",)
    assert reasons["low"] == ("low_confidence",)


def test_crisis_messages_buttons_and_confident_answers_are_never_queued(
    scenario: Scenario,
) -> None:
    names = _names(scenario, _queue(scenario, queue.Filters(status="all")))
    assert not {"crisis", "button", "confident", "rephrased"} & set(names)


def test_a_topic_change_only_counts_right_after_an_answer(scenario: Scenario) -> None:
    c = FakeTracker(scenario.tracker_db).conversation("s-slow-change-000000000000", NOW - 7200)
    c.user("Hva er tilsyn under samvær?", "samvaer.tilsyn", 0.95)
    c.bot("answer", "samvaer.tilsyn")
    c.user("Hvordan klager jeg på vedtaket?", "rettigheter.klage", 0.95, after=3600)
    c.bot("answer", "rettigheter.klage")
    found = {x.sender_id: x for x in conversations.load(scenario.tracker_db)}
    assert queue.reasons(found["s-slow-change-000000000000"]) == {}


def test_filters(scenario: Scenario) -> None:
    assert _names(scenario, _queue(scenario, queue.Filters(lang="nn"))) == ["clarify"]
    by_topic = _queue(scenario, queue.Filters(topic="samvaer.besteforeldre"))
    assert _names(scenario, by_topic) == ["fallback"]
    confident = _queue(scenario, queue.Filters(max_confidence=0.4))
    assert _names(scenario, confident) == ["clarify", "fallback"]
    today = dt.datetime.fromtimestamp(NOW, conversations.LOCAL_TZ).date()
    assert _names(scenario, _queue(scenario, queue.Filters(since=today))) == ["low"]
    old = queue.Filters(until=today - dt.timedelta(days=2))
    assert set(_names(scenario, _queue(scenario, old))) == {"clarify", "fallback"}


def test_annotated_turns_leave_the_open_queue(scenario: Scenario) -> None:
    turn = next(i.turn for i in _queue(scenario) if i.turn.message_id == scenario.ids["fallback"])
    annotation.annotate(scenario.app_db, turn, "confirmed", "anna")
    assert "fallback" not in _names(scenario, _queue(scenario))
    reviewed = _queue(scenario, queue.Filters(status="reviewed"))
    assert _names(scenario, reviewed) == ["fallback"]
    assert reviewed[0].annotation is not None and reviewed[0].annotation.label == "confirmed"
