"""The web app spreads messages over several engine replicas and retries safely."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.kb.store import KnowledgeBase
from bot.web.app import create_app
from bot.web.context import CONTEXT
from tests.web.conftest import StandInEngine

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def replicas(settings: Settings) -> AsyncIterator[list[tuple[StandInEngine, TestServer]]]:
    started = []
    for _ in range(2):
        stand_in = StandInEngine(settings.engine_token)
        server = TestServer(stand_in.app())
        await server.start_server()
        started.append((stand_in, server))
    started[1][0].log = started[0][0].log  # one timeline for both replicas
    yield started
    for _, server in started:
        await server.close()


async def _client(
    settings: Settings,
    kb: KnowledgeBase,
    replicas: list[tuple[StandInEngine, TestServer]],
    aiohttp_client: Any,
    **overrides: Any,
) -> Client:
    urls = tuple(f"http://127.0.0.1:{server.port}" for _, server in replicas)
    configured = dataclasses.replace(
        settings,
        db_url=str(kb.engine.url),
        engine_endpoints=urls,
        action_endpoint=urls[0],
        rate_per_minute=1000,
        **overrides,
    )
    return await aiohttp_client(create_app(configured))  # type: ignore[no-any-return]


async def _ask(client: Client, text: str = "hvor ofte er samvær?") -> tuple[int, dict[str, Any]]:
    resp = await client.post("/api/chat", json={"message": text})
    return resp.status, await resp.json()


async def test_messages_are_spread_over_the_replicas(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client)
    for _ in range(6):
        status, _ = await _ask(client)
        assert status == 200
    assert [len(stand_in.received) for stand_in, _ in replicas] == [3, 3]
    ids = [body["message_id"] for stand_in, _ in replicas for body in stand_in.received]
    assert len(set(ids)) == 6


async def test_a_failing_replica_is_retried_on_the_next_with_the_same_message_id(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client)
    (first, _), (second, _) = replicas
    first.mode = "down"
    for _ in range(4):
        status, body = await _ask(client)
        assert status == 200
        assert body["messages"][0]["topic"] == "samvaer.hyppighet"
    assert len(second.received) == 4
    # The failed replica saw at most one of them (then it cooled down), with the id
    # the second replica processed.
    retried = {b["message_id"] for b in first.received}
    assert len(first.received) == 1
    assert retried <= {b["message_id"] for b in second.received}


async def test_a_replica_that_hangs_is_given_up_in_time_and_the_message_retried(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client, engine_timeout_s=2.0)
    (first, _), (second, _) = replicas
    first.mode = "slow"
    status, _ = await _ask(client)
    assert status == 200
    assert [b["message_id"] for b in first.received] == [b["message_id"] for b in second.received]


async def test_all_replicas_down_is_503_with_a_sentence(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client)
    for stand_in, _ in replicas:
        stand_in.mode = "down"
    status, body = await _ask(client)
    assert status == 503
    assert "igjen" in body["error"]


async def test_healthz_lists_replicas_and_stays_up_while_one_answers(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client)
    replicas[1][0].mode = "down"
    resp = await client.get("/healthz")
    body = await resp.json()
    assert body["engine_replicas"] == {"engine-1": "ok", "engine-2": "down"}
    assert resp.status == 200
    replicas[0][0].mode = "down"
    resp = await client.get("/healthz")
    assert resp.status == 503
    assert "engine" in (await resp.json())["down"]


def test_several_engines_need_a_shared_lock_store(tmp_path: Any) -> None:
    env = {"LANDSBY_VAR_DIR": str(tmp_path), "LANDSBY_ENGINE_REPLICAS": "2"}
    with pytest.raises(ValueError, match="LANDSBY_LOCK_STORE_URL"):
        Settings.from_env(env)
    two = Settings.from_env(env | {"LANDSBY_LOCK_STORE_URL": "redis://127.0.0.1:6379/0"})
    assert two.engine_urls == ("http://127.0.0.1:5005", "http://127.0.0.1:5006")
    assert two.child_env()["LANDSBY_LOCK_STORE_URL"] == "redis://127.0.0.1:6379/0"
    remote = Settings.from_env(
        {
            "LANDSBY_VAR_DIR": str(tmp_path),
            "LANDSBY_ENGINE_URLS": "http://engine-0.engine:5005/, http://engine-1.engine:5005",
            "LANDSBY_LOCK_STORE_URL": "redis://redis:6379/0",
        }
    )
    assert remote.engine_urls == ("http://engine-0.engine:5005", "http://engine-1.engine:5005")


async def test_one_conversation_is_forwarded_one_turn_at_a_time_in_order(
    settings: Settings, kb: KnowledgeBase, replicas: Any, aiohttp_client: Any
) -> None:
    client = await _client(settings, kb, replicas, aiohttp_client)
    _, first = await _ask(client, "første")
    session = {"session_id": first["session_id"]}
    for stand_in, _ in replicas:
        stand_in.delays = [0.4]  # the first of the next messages is slow on either replica

    async def send(text: str, after: float) -> int:
        await asyncio.sleep(after)
        resp = await client.post("/api/chat", json=session | {"message": text})
        return resp.status

    statuses = await asyncio.gather(send("andre", 0), send("tredje", 0.05), send("fjerde", 0.1))
    assert statuses == [200, 200, 200]
    assert len(client.app[CONTEXT].turns) == 0  # no lock is kept once its turns are done
    # Both replicas together saw the turns strictly one after another, in arrival order.
    assert replicas[0][0].log == [
        ("start", "første"),
        ("end", "første"),
        ("start", "andre"),
        ("end", "andre"),
        ("start", "tredje"),
        ("end", "tredje"),
        ("start", "fjerde"),
        ("end", "fjerde"),
    ]
