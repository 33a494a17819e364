from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.feedback import Feedback
from bot.kb.store import KnowledgeBase
from bot.web.context import CONTEXT
from tests.web.conftest import StandInEngine

Client = Any


async def start(client: Client) -> str:
    body = await (await client.post("/api/chat", json={"message": "hvor ofte samvær"})).json()
    return str(body["session_id"])


async def test_welcome_says_it_is_automated_and_not_an_emergency_service(client: Client) -> None:
    body = await (await client.get("/api/welcome")).json()
    [msg] = body["messages"]
    assert "automatisk" in msg["text"] and "113" in msg["text"]
    nynorsk = await (await client.get("/api/welcome?lang=nn")).json()
    assert "ikkje" in nynorsk["messages"][0]["text"]


async def test_feedback_is_stored_for_the_review_queue(client: Client, kb: KnowledgeBase) -> None:
    session_id = await start(client)
    resp = await client.post(
        "/api/feedback",
        json={
            "session_id": session_id,
            "topic": "samvaer.hyppighet",
            "version": "abc",
            "value": "down",
        },
    )
    assert resp.status == 204
    with Session(kb.engine) as session:
        values = session.scalars(select(Feedback.value).where(Feedback.session_id == session_id))
        assert list(values) == ["down"]


async def test_feedback_rejects_bad_input(client: Client) -> None:
    session_id = await start(client)
    for body in (
        {"session_id": session_id, "value": "meh"},
        {"value": "up"},
        {"session_id": session_id, "value": "up", "topic": 5},
    ):
        resp = await client.post("/api/feedback", json=body)
        assert resp.status == 400 and (await resp.json())["error"]
    unknown = await client.post("/api/feedback", json={"session_id": "b" * 32, "value": "up"})
    assert unknown.status == 404


async def test_deleting_a_session_removes_everything_stored(
    client: Client, kb: KnowledgeBase, settings: Any
) -> None:
    session_id = await start(client)
    await client.post("/api/feedback", json={"session_id": session_id, "value": "up"})
    tracker = str(client.server.app[CONTEXT].tracker_db.url).removeprefix("sqlite:///")
    with sqlite3.connect(tracker) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        conn.execute(
            "INSERT INTO events (sender_id, type_name, data) VALUES (?, 'user', '{}')",
            (session_id,),
        )
    resp = await client.post("/api/session/delete", json={"session_id": session_id})
    body = await resp.json()
    assert resp.status == 200 and body["deleted"] is True and body["messages"][0]["text"]
    with sqlite3.connect(tracker) as conn:
        assert conn.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (session_id,)
        ).fetchone() == (0,)
    with Session(kb.engine) as session:
        count = session.scalar(select(func.count()).where(Feedback.session_id == session_id))
        assert count == 0
    again = await client.post("/api/feedback", json={"session_id": session_id, "value": "up"})
    assert again.status == 404


async def test_typing_slett_samtalen_min_deletes_without_asking_the_engine(
    client: Client, stand_in: StandInEngine
) -> None:
    session_id = await start(client)
    resp = await client.post(
        "/api/chat", json={"message": "Slett samtalen min", "session_id": session_id}
    )
    body = await resp.json()
    assert resp.status == 200 and body["session_id"] != session_id
    assert "slett" in body["messages"][0]["text"].lower()
    assert len(stand_in.received) == 1
