"""Scale-out: two engine replicas, a Redis lock store and PostgreSQL for everything.

Messages to one conversation that arrive at the same time on different replicas are
each processed exactly once and in the order they arrived; a message retried on another
replica (same message id) is not processed twice; an engine replica killed during a
burst loses nothing.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.landsby import Landsby, child_pid, run_landsby, tracker_events, wait_replicas
from tests.postgres import PostgresServer, temporary_postgres
from tests.processes import free_ports
from tests.redisserver import temporary_redis

pytestmark = pytest.mark.integration

QUESTIONS = [
    "Hvor ofte får jeg se barnet mitt?",
    "Hva er et familieråd?",
    "Kan jeg klage på vedtaket?",
    "Hvem kan være med under samværet?",
    "Hva betyr tilknytning for et lite barn?",
    "Kan besteforeldre få samvær?",
    "Hva kan jeg gjøre for at hun kan flytte hjem?",
    "Kan vi snakke på video?",
    "Hva er en tiltaksplan?",
    "Hvem kan jeg snakke med om dette?",
]
STAGGER_S = 0.015  # well below one turn's processing time, so messages overlap
BOTH_UP = {"engine-1": "ok", "engine-2": "ok"}


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with temporary_postgres("landsby") as server:
        yield server


@pytest.fixture(scope="module")
def landsby(var_dir: Path, postgres: PostgresServer) -> Iterator[Landsby]:
    with (
        temporary_redis() as redis_url,
        run_landsby(
            var_dir,
            LANDSBY_DB_URL=postgres.url,
            LANDSBY_TRACKER_DB_URL=postgres.url,
            LANDSBY_LOCK_STORE_URL=redis_url,
            LANDSBY_ENGINE_REPLICAS="2",
            LANDSBY_ENGINE_PORT=str(free_ports(2)),
        ) as running_landsby,
    ):
        wait_replicas(running_landsby.url, 2)
        yield running_landsby


class Timed:
    """One request: when it was sent and answered, and what came back."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.sent = 0.0
        self.done = 0.0
        self.status = 0
        self.body: Any = None


# (url, JSON body, headers) of one POST
Request = tuple[str, dict[str, Any], dict[str, str]]


async def _burst(requests: list[Request]) -> list[Timed]:
    """POST each (url, json, headers) STAGGER_S after the previous, without waiting."""
    results = [Timed(i) for i in range(len(requests))]

    async def one(http: aiohttp.ClientSession, i: int) -> None:
        await asyncio.sleep(i * STAGGER_S)
        url, body, headers = requests[i]
        results[i].sent = time.monotonic()
        async with http.post(url, json=body, headers=headers) as resp:
            results[i].status = resp.status
            results[i].body = await resp.json()
        results[i].done = time.monotonic()

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(one(http, i) for i in range(len(requests))))
    return results


def _overlapping(results: list[Timed]) -> int:
    """How many requests were sent while the previous one was still being processed."""
    return sum(1 for a, b in itertools.pairwise(results) if b.sent < a.done)


def _turns(tracker_url: str, sender: str) -> list[tuple[str, str, list[str | None]]]:
    """(text, message id, bot reply topics) per user message, in tracker order."""
    turns: list[tuple[str, str, list[str | None]]] = []
    for event in tracker_events(tracker_url, sender):
        if event["event"] == "user":
            turns.append((str(event["text"]), str(event["message_id"]), []))
        elif event["event"] == "bot" and turns:
            custom = (event.get("data") or {}).get("custom") or {}  # type: ignore[attr-defined]
            turns[-1][2].append(custom.get("topic"))
    return turns


def _channel(landsby: Landsby, replica: int) -> tuple[str, dict[str, str]]:
    port = landsby.settings.engine_port + replica
    url = f"http://127.0.0.1:{port}/webhooks/landsby/webhook"
    return url, {"Authorization": f"Bearer {landsby.settings.engine_token}"}


def test_both_replicas_serve_and_health_lists_them(landsby: Landsby) -> None:
    status, health = landsby.health()
    assert status == 200, health
    assert health["engine_replicas"] == BOTH_UP


def test_concurrent_messages_on_two_replicas_are_processed_once_in_order(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    sender = f"scale-{uuid.uuid4().hex}"
    requests = []
    for i, question in enumerate(QUESTIONS):
        url, headers = _channel(landsby, i % 2)
        body = {"sender": sender, "message": question, "message_id": f"msg-{i:04d}-{sender}"}
        requests.append((url, body | {"metadata": {"lang": "nb"}}, headers))
    results = asyncio.run(_burst(requests))

    assert [r.status for r in results] == [200] * len(QUESTIONS)
    # Really concurrent: most messages arrived while an earlier one was in progress.
    assert _overlapping(results) >= len(QUESTIONS) // 2
    turns = _turns(postgres.url, sender)
    # Exactly once each. The order is the order in which the messages reached the shared
    # lock: a replica busy with another conversation may take its next message up a few
    # milliseconds later than the other replica, so only each replica's own messages
    # have a fixed order here (the web app fixes the order per conversation, see below).
    assert sorted(text for text, _, _ in turns) == sorted(QUESTIONS)
    for replica in (0, 1):
        sent_here = QUESTIONS[replica::2]
        assert [text for text, _, _ in turns if text in sent_here] == sent_here
    by_text = {text: (mid, stored) for text, mid, stored in turns}
    # Each reply follows its own message: what the replica answered is what was stored
    # right after that message, not interleaved with another one.
    for question, (_, body, _), result in zip(QUESTIONS, requests, results, strict=True):
        mid, stored = by_text[question]
        answered = [(m.get("custom") or {}).get("topic") for m in result.body]
        assert mid == body["message_id"]
        assert stored == answered and answered


def _conversation_burst(landsby: Landsby) -> tuple[str, list[Request]]:
    """A conversation started with "Hei", and QUESTIONS to send to it through the web app."""
    session_id = str(landsby.chat("Hei")["session_id"])
    chat = f"{landsby.url}/api/chat"
    return session_id, [(chat, {"session_id": session_id, "message": q}, {}) for q in QUESTIONS]


def test_concurrent_messages_through_the_web_app_keep_their_order(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    session_id, requests = _conversation_burst(landsby)
    results = asyncio.run(_burst(requests))
    assert [r.status for r in results] == [200] * len(QUESTIONS)
    assert _overlapping(results) >= len(QUESTIONS) // 2
    turns = _turns(postgres.url, session_id)
    assert [text for text, _, _ in turns] == ["Hei", *QUESTIONS]
    for (_, _, stored), result in zip(turns[1:], results, strict=True):
        assert stored == [m["topic"] for m in result.body["messages"]]


def test_a_message_retried_on_the_other_replica_is_processed_once(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    sender = f"retry-{uuid.uuid4().hex}"
    body = {
        "sender": sender,
        "message": "Hva er et familieråd?",
        "message_id": uuid.uuid4().hex,
        "metadata": {"lang": "nb"},
    }
    channels = [_channel(landsby, i % 2) for i in range(4)]
    results = asyncio.run(_burst([(url, body, headers) for url, headers in channels]))
    assert [r.status for r in results] == [200] * 4
    assert all(r.body == results[0].body for r in results)
    assert results[0].body and results[0].body[0]["custom"]["topic"] == "tilbakeforing.familierad"
    turns = _turns(postgres.url, sender)
    assert [(text, mid) for text, mid, _ in turns] == [(body["message"], body["message_id"])]


def test_a_replica_killed_during_a_burst_loses_no_message(
    landsby: Landsby, postgres: PostgresServer
) -> None:
    session_id, requests = _conversation_burst(landsby)
    engine_1 = child_pid(landsby.pid, f"--port {landsby.settings.engine_port} ")

    async def burst_and_kill() -> list[Timed]:
        burst = asyncio.create_task(_burst(requests))
        await asyncio.sleep(STAGGER_S * 3)
        os.killpg(engine_1, signal.SIGKILL)
        return await burst

    results = asyncio.run(burst_and_kill())
    statuses = [r.status for r in results]
    # The web app retried on the surviving replica: nobody saw an error.
    assert statuses == [200] * len(QUESTIONS), [r.body for r in results]
    texts = [text for text, _, _ in _turns(postgres.url, session_id)]
    assert texts == ["Hei", *QUESTIONS]
    # The supervisor restarts the killed replica.
    wait_replicas(landsby.url, 2)
