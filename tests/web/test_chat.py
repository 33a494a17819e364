from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import StandInEngine

Client = Any


async def test_a_question_is_answered_with_a_new_session(client: Client) -> None:
    resp = await client.post("/api/chat", json={"message": "hvor ofte er samvær?"})
    assert resp.status == 200
    body = await resp.json()
    assert len(body["session_id"]) >= 32
    [msg] = body["messages"]
    assert (msg["topic"], msg["kind"], msg["lang"]) == ("samvaer.hyppighet", "answer", "nb")
    assert msg["sources"] == [] and msg["buttons"] == []


async def test_the_session_and_its_written_standard_are_kept(
    client: Client, stand_in: StandInEngine
) -> None:
    first = await (await client.post("/api/chat", json={"message": "kva er samvær?"})).json()
    second = await (
        await client.post(
            "/api/chat", json={"message": "samvær", "session_id": first["session_id"]}
        )
    ).json()
    assert second["session_id"] == first["session_id"]
    assert second["messages"][0]["lang"] == "nn"
    assert [r["sender"] for r in stand_in.received] == [first["session_id"]] * 2


async def test_an_unknown_session_id_gets_a_fresh_server_made_one(client: Client) -> None:
    chosen = "a" * 32
    body = await (
        await client.post("/api/chat", json={"message": "hei", "session_id": chosen})
    ).json()
    assert body["session_id"] != chosen


async def test_button_payloads_ask_for_a_topic_without_rasa_syntax(
    client: Client, stand_in: StandInEngine
) -> None:
    await client.post("/api/chat", json={"message": "/samvaer.plan?lang=nn"})
    await client.post("/api/chat", json={"message": '/samvaer.plan{"topic": "x"}'})
    await client.post("/api/chat", json={"message": "/finnes.ikke"})
    sent = [r["message"] for r in stand_in.received]
    assert sent[0] == "/samvaer.plan" and stand_in.received[0]["metadata"]["lang"] == "nn"
    assert not sent[1].startswith("/") and not sent[2].startswith("/")


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 400),
        ({"message": ""}, 400),
        ({"message": "   "}, 400),
        ({"message": 42}, 400),
        ({"message": "hei", "session_id": 5}, 400),
        ({"message": "hei", "session_id": "../../etc"}, 400),
        ({"message": "hei", "lang": "sv"}, 400),
        ({"message": "x" * 2001}, 413),
    ],
)
async def test_bad_input_gets_a_clear_error(client: Client, payload: object, status: int) -> None:
    resp = await client.post("/api/chat", json=payload)
    assert resp.status == status
    assert (await resp.json())["error"]


async def test_a_long_message_within_the_limit_is_accepted(client: Client) -> None:
    resp = await client.post("/api/chat", json={"message": "samvær " * 150})
    assert resp.status == 200


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
async def test_invalid_json_is_a_400(client: Client, raw: bytes) -> None:
    resp = await client.post("/api/chat", data=raw, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json())["error"]


async def test_a_huge_body_is_a_413(client: Client) -> None:
    resp = await client.post("/api/chat", data=b"x" * 200_000)
    assert resp.status == 413
    assert (await resp.json())["error"]


async def test_too_many_messages_get_429_with_retry_after(client: Client) -> None:
    body = await (await client.post("/api/chat", json={"message": "hei"})).json()
    statuses = []
    for _ in range(6):
        resp = await client.post(
            "/api/chat", json={"message": "hei", "session_id": body["session_id"]}
        )
        statuses.append(resp.status)
    assert statuses[-1] == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert (await resp.json())["error"]


async def test_engine_down_is_a_503_with_a_sentence_for_the_user(
    client: Client, stand_in: StandInEngine
) -> None:
    stand_in.mode = "down"
    resp = await client.post("/api/chat", json={"message": "hvor ofte samvær"})
    assert resp.status == 503
    assert "prøv igjen" in (await resp.json())["error"]


async def test_no_answer_from_the_engine_gets_a_kind_fallback(
    client: Client, stand_in: StandInEngine
) -> None:
    stand_in.mode = "empty"
    resp = await client.post("/api/chat", json={"message": "hvor ofte samvær"})
    assert resp.status == 200
    [msg] = (await resp.json())["messages"]
    assert msg["kind"] == "fallback" and "prøv igjen" in msg["text"].lower()


async def test_a_crisis_is_answered_even_when_the_engine_is_down(
    client: Client, stand_in: StandInEngine
) -> None:
    stand_in.mode = "down"
    resp = await client.post(
        "/api/chat", json={"message": "jeg orker ikke mer, vil bare forsvinne"}
    )
    assert resp.status == 200
    [msg] = (await resp.json())["messages"]
    assert (msg["kind"], msg["topic"]) == ("crisis", "krise.selvmord")
    assert "tel:116123" in [link["url"] for link in msg["links"]]


async def test_the_crisis_guard_is_passed_to_the_engine(
    client: Client, stand_in: StandInEngine
) -> None:
    resp = await client.post("/api/chat", json={"message": "han slår meg nå og jeg er redd"})
    [msg] = (await resp.json())["messages"]
    assert msg["kind"] == "crisis" and msg["topic"] == "krise.akutt_fare"
    assert stand_in.received[0]["metadata"]["guard"] == "krise.akutt_fare"


async def test_personal_data_never_reaches_the_engine(
    client: Client, stand_in: StandInEngine
) -> None:
    # A synthetic test number (month + 80, as in the test register): valid check
    # digits, yet it can never be a real person's.
    resp = await client.post(
        "/api/chat",
        json={"message": "Jeg heter Testa Testesen, fnr 01819912323, ring 912 34 567"},
    )
    body = await resp.json()
    sent = stand_in.received[0]["message"]
    assert "01819912323" not in sent and "912 34 567" not in sent and "Testesen" not in sent
    assert "[fødselsnummer]" in sent
    assert body["messages"][0]["topic"] is None  # the privacy notice comes first
    assert len(body["messages"]) == 2


async def test_healthz_reports_each_component(client: Client, stand_in: StandInEngine) -> None:
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["components"] == {
        "web": "ok",
        "database": "ok",
        "tracker_store": "ok",
        "engine": "ok",
        "actions": "ok",
    }
    stand_in.mode = "down"
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert "engine" in (await resp.json())["down"]


async def test_a_new_conversation_says_it_is_automated(client: Client) -> None:
    first = await (await client.post("/api/chat", json={"message": "hei"})).json()
    assert "automatisk assistent" in first["disclosure"]
    again = await (
        await client.post("/api/chat", json={"message": "hei", "session_id": first["session_id"]})
    ).json()
    assert "disclosure" not in again


async def test_the_user_can_switch_written_standard(
    client: Client, stand_in: StandInEngine
) -> None:
    first = await (await client.post("/api/chat", json={"message": "skriv på nynorsk"})).json()
    assert first["messages"][0]["lang"] == "nn" and not stand_in.received
    second = await (
        await client.post(
            "/api/chat", json={"message": "hvor ofte samvær", "session_id": first["session_id"]}
        )
    ).json()
    assert second["messages"][0]["lang"] == "nn"


async def test_search_and_feedback_are_limited_per_address(client: Client) -> None:
    # The client fixture allows 5 chat messages a minute per session, 50 per address.
    session_id = (await (await client.post("/api/chat", json={"message": "hei"})).json())[
        "session_id"
    ]
    statuses = []
    for i in range(60):
        if i % 2:
            resp = await client.get("/api/search", params={"q": "samvær"})
        else:
            feedback = {"session_id": session_id, "value": "up"}
            resp = await client.post("/api/feedback", json=feedback)
        statuses.append(resp.status)
    assert set(statuses[:49]) == {200, 204}
    assert statuses[-1] == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert (await resp.json())["error"]
