"""The engine side of safe retries: lock store by URL, replies of an earlier message id."""

from __future__ import annotations

from tests.engine.test_components import run_engine
from tests.redisserver import temporary_redis

LOCK_STORES = """
import json
from bot.engine.lock_store import from_url
out = {}
for url in ["", "memory://", "redis://:s%40cret@redis.example:6380/2", "rediss://cache/0"]:
    store = from_url(url)
    kwargs = store.red.connection_pool.connection_kwargs if hasattr(store, "red") else {}
    out[url] = [type(store).__name__, kwargs.get("host"), kwargs.get("port"),
                kwargs.get("db"), kwargs.get("password"), store.key_prefix if kwargs else None]
errors = []
for bad in ["http://x", "redis://x/zero"]:
    try:
        from_url(bad)
    except ValueError as exc:
        errors.append(str(exc))
out["errors"] = errors
print(json.dumps(out))
"""

EARLIER_REPLIES = """
import json
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
tracker = DialogueStateTracker.from_events("s1", [
    UserUttered("hei", message_id="aaaaaaaa"),
    ActionExecuted("action_answer"),
    BotUttered("svar 1", data={"custom": {"kind": "answer", "topic": "t1"}}),
    BotUttered(None, data={"buttons": [{"title": "B", "payload": "/t2"}]}),
    UserUttered("neste", message_id="bbbbbbbb"),
    BotUttered("svar 2"),
    UserUttered("uten svar", message_id="cccccccc"),
])
from bot.engine.channel import earlier_replies
ids = ["aaaaaaaa", "bbbbbbbb", "cccccccc", "zzzzzzzz"]
print(json.dumps({m: earlier_replies(tracker, m) for m in ids}))
"""


def test_lock_store_is_chosen_by_url() -> None:
    out = run_engine(LOCK_STORES)
    assert out[""][0] == out["memory://"][0] == "MemoryLocks"
    assert out["redis://:s%40cret@redis.example:6380/2"] == [
        "RedisLocks",
        "redis.example",
        6380,
        2,
        "s@cret",
        "landsby:lock:",
    ]
    assert out["rediss://cache/0"][:4] == ["RedisLocks", "cache", 6379, 0]
    assert len(out["errors"]) == 2
    assert "memory:// or redis://" in out["errors"][0]


def test_replies_of_an_earlier_message_are_found_by_its_id() -> None:
    out = run_engine(EARLIER_REPLIES)
    assert out["aaaaaaaa"] == [
        {"recipient_id": "s1", "text": "svar 1", "custom": {"kind": "answer", "topic": "t1"}},
        {"recipient_id": "s1", "buttons": [{"title": "B", "payload": "/t2"}]},
    ]
    assert out["bbbbbbbb"] == [{"recipient_id": "s1", "text": "svar 2"}]
    assert out["cccccccc"] == []
    assert out["zzzzzzzz"] is None


LOCK_RACE = """
import asyncio, json, sys, threading, time
from bot.engine.lock_store import from_url
url = sys.argv[1]
sections, tickets = [], []

def replica(n):
    store = from_url(url)  # one store (connection) per replica, as in separate processes
    async def run():
        for i in range(12):
            async with store.lock("conv", lock_lifetime=1.0, wait_time_in_seconds=0.005):
                start = time.monotonic()
                await asyncio.sleep(0.004)
                sections.append((start, time.monotonic()))
    asyncio.run(run())

threads = [threading.Thread(target=replica, args=(n,)) for n in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
sections.sort()
overlaps = sum(1 for a, b in zip(sections, sections[1:]) if b[0] < a[1])

# A holder that died (its ticket is never cleaned up) blocks only until its lifetime
# ends; the messages queued behind it keep their places (their tickets are renewed).
store = from_url(url)
store.issue_ticket("dead", 1.0)
order = []
async def waiter(i):
    await asyncio.sleep(i * 0.01)
    async with store.lock("dead", lock_lifetime=1.0, wait_time_in_seconds=0.02):
        order.append(i)
        await asyncio.sleep(0.3)
async def queue():
    started = time.monotonic()
    await asyncio.gather(*(waiter(i) for i in range(5)))
    return time.monotonic() - started
took = asyncio.run(queue())
print(json.dumps({"sections": len(sections), "overlaps": overlaps, "order": order,
                  "took": took, "left": store.get_lock("conv") is None}))
"""


def test_the_redis_lock_serialises_replicas_and_survives_a_dead_holder() -> None:
    with temporary_redis() as url:
        out = run_engine(LOCK_RACE, url)
    assert out["sections"] == 48
    assert out["overlaps"] == 0
    assert out["left"] is True
    # Behind the dead ticket (1 s) five holders of 0.3 s each, in arrival order.
    assert out["order"] == [0, 1, 2, 3, 4]
    assert 2.3 < out["took"] < 4.5


VALIDATION = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from bot.engine.channel import LandsbyInput
LandsbyInput.from_credentials({"token": "x" * 16})
action = RemoteAction("action_answer", None)
good = {"events": [{"event": "slot", "name": "topic", "value": "t"}],
        "responses": [{"custom": {"kind": "answer"}}]}
out = {"patched": RemoteAction._validate_action_result.__module__}
out["good"] = action._validate_action_result(good)
for name, bad in {"event": {"events": [{"event": "no_such_event"}]},
                  "responses": {"responses": "not a list"}}.items():
    try:
        action._validate_action_result(bad)
        out[name] = "accepted"
    except ValidationError as e:
        out[name] = e.message
print(json.dumps(out))
"""


def test_action_responses_are_still_validated_after_the_speedup() -> None:
    out = run_engine(VALIDATION)
    assert out["patched"] == "bot.engine.speedups"
    assert out["good"] is True
    for name in ("event", "responses"):
        assert "Failed to validate Action server response" in out[name], out[name]
