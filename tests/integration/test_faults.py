"""Faults never lose a message silently: kill the action server, the engine, the database.

Runs Landsby with its tracker store on a throw-away PostgreSQL server, so that the
database can be stopped and started under it.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.landsby import Landsby, child_pid, run_landsby, user_texts, wait_healthy
from tests.postgres import PostgresServer, temporary_postgres

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with temporary_postgres("tracker") as server:
        yield server


@pytest.fixture(scope="module")
def landsby(var_dir: Path, postgres: PostgresServer) -> Iterator[Landsby]:
    with run_landsby(var_dir, LANDSBY_TRACKER_DB_URL=postgres.url) as running_landsby:
        yield running_landsby


def test_action_server_down_gets_a_kind_answer_quickly(landsby: Landsby) -> None:
    os.killpg(child_pid(landsby.pid, "bot actions"), signal.SIGKILL)
    started = time.monotonic()
    status, body = landsby.send("Hva er et familieråd?")
    assert time.monotonic() - started < 2
    assert status == 200
    [msg] = body["messages"]  # type: ignore[misc]
    assert msg["kind"] == "fallback" and msg["text"]
    wait_healthy(landsby, timeout=60)
    reply = landsby.chat("Hva er et familieråd?")
    assert [m["topic"] for m in reply["messages"]] == ["tilbakeforing.familierad"]  # type: ignore[union-attr]


def test_engine_restart_is_a_503_then_the_conversation_continues(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    first = landsby.chat("Kva er eigentleg eit familieråd?")
    session_id = str(first["session_id"])
    os.killpg(child_pid(landsby.pid, "rasa run"), signal.SIGKILL)
    status, body = landsby.send("Korleis søkjer eg om meir samvær?", session_id)
    assert status == 503 and "igjen" in str(body["error"])
    wait_healthy(landsby, timeout=150)
    reply = landsby.chat("/samvaer.plan", session_id=session_id)
    assert reply["session_id"] == session_id
    assert [m["lang"] for m in reply["messages"]] == ["nn"]  # type: ignore[union-attr]
    assert user_texts(postgres.url, session_id) == [
        "Kva er eigentleg eit familieråd?",
        "/samvaer.plan",
    ]


def test_a_database_outage_fails_closed_and_recovers(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    session_id = str(landsby.chat("Hvor ofte kan jeg ha samvær?")["session_id"])
    postgres.stop()
    try:
        status, body = landsby.send("Hvem bestemmer hvor vi møtes?", session_id)
        assert status == 503 and "igjen" in str(body["error"])
        health_status, health = landsby.health()
        assert health_status == 503, health
        assert "tracker_store" in health["down"]  # type: ignore[operator]
    finally:
        postgres.start()
    wait_healthy(landsby, timeout=60)
    # The first request after the restart may meet a pooled connection to the old server;
    # it is refused like any other failure, never half-stored.
    for _ in range(3):
        status, _body = landsby.send("Hvem bestemmer hvor vi møtes?", session_id)
        if status == 200:
            break
        time.sleep(1)
    assert status == 200
    assert user_texts(postgres.url, session_id) == [
        "Hvor ofte kan jeg ha samvær?",
        "Hvem bestemmer hvor vi møtes?",
    ]
