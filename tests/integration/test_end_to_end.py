"""Landsby for real: a trained model, the three processes, questions through /api/chat.

Trains the model into var/models when the training data changed (a few minutes), then
runs `landsby run` on free ports with its own var/ directory.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from bot.topics import CRISIS_TOPICS
from tests.landsby import Landsby, landsby_env
from tests.processes import APP_PYTHON, alive, descendants, http_status, running, wait_for

pytestmark = pytest.mark.integration


# Phrased for this test, unlike the training data and the held-out set.
QUESTIONS = [
    ("Hva betyr det egentlig at et barn har trygg tilknytning?", "tilknytning.generell"),
    (
        "Er det farlig om gutten min blir veldig knyttet til fostermoren?",
        "tilknytning.fosterforeldre",
    ),
    ("Er tre timer samvær i måneden normalt?", "samvaer.hyppighet"),
    (
        "hvorfor må det sitte en fra barnevernet i rommet når jeg treffer datteren min",
        "samvaer.tilsyn",
    ),
    ("Hva kreves av meg før barnet kan flytte hjem igjen?", "tilbakeforing.vilkar"),
    ("Hva går utviklingstrappen ut på?", "tilbakeforing.utviklingstrappen"),
    ("Kan jeg be om at det holdes et familieråd?", "tilbakeforing.familierad"),
    ("Finnes det noen jeg kan snakke med som har vært i samme situasjon?", "stotte.tilbud"),
    ("heisann", "smalltalk.hilsen"),
    ("tusen hjertelig takk for hjelpen", "smalltalk.takk"),
    ("er det et ekte menneske som svarer her?", "bot.hvem"),
    ("hva slags spørsmål kan jeg stille deg?", "bot.hva_kan_du"),
    ("jeg vil heller prate med en person", "menneske"),
    ("hvem vant fotballkampen i går?", "utenfor_omfang.annet"),
]


@pytest.mark.parametrize(("question", "topic"), QUESTIONS)
def test_questions_get_the_right_topic(landsby: Landsby, question: str, topic: str) -> None:
    reply = landsby.chat(question)
    messages = reply["messages"]
    assert isinstance(messages, list)
    assert [m["topic"] for m in messages] == [topic], messages


# Crisis messages by an author who never saw the guard's rules (see the file's header).
CRISIS_UNSEEN = yaml.safe_load(
    Path(__file__).with_name("crisis_unseen.yml").read_text(encoding="utf-8")
)
# The model leans towards the crisis answer on purpose (docs/nlu.md, "How the cut-offs
# were chosen"); a look-alike may get it, but not more than one in six.
MAX_LOOK_ALIKES_WITH_CRISIS_ANSWER = 1 / 6


def crisis_topics(reply: dict[str, object]) -> list[str]:
    messages = reply["messages"]
    assert isinstance(messages, list)
    return [m["topic"] for m in messages if m["topic"] in CRISIS_TOPICS]


@pytest.mark.parametrize(
    "text", [case["text"] for case in CRISIS_UNSEEN["crisis"]], ids=lambda t: t[:40]
)
def test_every_crisis_gets_the_crisis_answer(landsby: Landsby, text: str) -> None:
    reply = landsby.chat(text)
    assert crisis_topics(reply), reply["messages"]


def test_few_look_alikes_get_the_crisis_answer(landsby: Landsby) -> None:
    texts = [case["text"] for case in CRISIS_UNSEEN["not_crisis"]]
    alarmed = [text for text in texts if crisis_topics(landsby.chat(text))]
    assert len(alarmed) <= MAX_LOOK_ALIKES_WITH_CRISIS_ANSWER * len(texts), alarmed


def test_an_answer_has_the_public_shape(landsby: Landsby) -> None:
    reply = landsby.chat("Hvor ofte får foreldre vanligvis samvær?")
    [msg] = reply["messages"]  # type: ignore[misc]
    assert set(msg) >= {"text", "kind", "topic", "lang", "sources", "buttons"}
    assert msg["kind"] == "answer" and msg["lang"] == "nb"
    assert all(s["url"].startswith("https://") for s in msg["sources"])
    assert all(b["payload"].startswith("/") for b in msg["buttons"])


def test_nynorsk_is_answered_in_nynorsk_and_the_session_continues(landsby: Landsby) -> None:
    first = landsby.chat("Kva er eigentleg eit familieråd, og kven kan vere med?")
    [msg] = first["messages"]  # type: ignore[misc]
    assert msg["topic"] == "tilbakeforing.familierad" and msg["lang"] == "nn"
    follow = landsby.chat("/samvaer.plan", session_id=str(first["session_id"]))
    assert follow["session_id"] == first["session_id"]
    [plan] = follow["messages"]  # type: ignore[misc]
    assert plan["topic"] == "samvaer.plan" and plan["lang"] == "nn"


@pytest.mark.parametrize(
    ("first", "follow_up", "topic"),
    [
        (
            "Hvor lang klagefrist har jeg på et vedtak?",
            "hvor sender jeg det da?",
            "rettigheter.klage",
        ),
        ("Er det vanlig med så lite samvær?", "og hva med søsken?", "samvaer.sosken"),
        ("Kor ofte kan eg ha samvær?", "kva med besteforeldra?", "samvaer.besteforeldre"),
    ],
)
def test_follow_up_questions_are_answered_in_context(
    landsby: Landsby, first: str, follow_up: str, topic: str
) -> None:
    session_id = str(landsby.chat(first)["session_id"])
    reply = landsby.chat(follow_up, session_id=session_id)
    assert [m["topic"] for m in reply["messages"]] == [topic]  # type: ignore[union-attr]


def test_turns_are_stored_in_the_tracker_store(landsby: Landsby) -> None:
    reply = landsby.chat("Hvordan foregår et familieråd i praksis?")
    db = landsby.settings.tracker_db_url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT type_name, intent_name FROM events WHERE sender_id = ?",
            (reply["session_id"],),
        ).fetchall()
    assert ("user", "tilbakeforing.familierad") in rows
    assert any(kind == "bot" for kind, _ in rows)


# Synthetic personal data: the fødselsnummer uses the test register's month + 80, so it
# has valid check digits and can never belong to a real person; the rest is invented.
PERSONAL = {
    "fødselsnummer": "01819912323",
    "phone": "912 34 567",
    "phone_digits": "91234567",
    "email": "testa.testesen@example.com",
    "surname": "Testesen",
    "street": "Prøvegata 12",
}


def test_personal_data_is_nowhere_under_var(landsby: Landsby, var_dir: Path) -> None:
    reply = landsby.chat(
        "Hei, jeg heter Testa Testesen og bor i Prøvegata 12. Fødselsnummeret mitt er "
        f"{PERSONAL['fødselsnummer']}, ring meg på {PERSONAL['phone']} eller skriv til "
        f"{PERSONAL['email']}. Hvor ofte kan jeg ha samvær?"
    )
    topics = [m["topic"] for m in reply["messages"]]  # type: ignore[union-attr]
    assert "samvaer.hyppighet" in topics
    landsby.chat("/samvaer.plan", session_id=str(reply["session_id"]))
    needles = {value.encode() for value in PERSONAL.values()}
    needles |= {json.dumps(value).strip('"').encode() for value in PERSONAL.values()}
    leaks = []
    for path in var_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            leaks += [(str(path), n.decode()) for n in needles if n in content]
    assert not leaks


def test_engine_and_actions_refuse_requests_without_credentials(landsby: Landsby) -> None:
    engine = landsby.settings.engine_url
    assert http_status(f"{engine}/status") == 401
    assert http_status(f"{engine}/conversations/someone/tracker") == 401
    webhook = urllib.request.Request(
        f"{engine}/webhooks/landsby/webhook",
        data=b'{"sender": "x", "message": "hei"}',
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(webhook, timeout=10)
    assert refused.value.code == 401
    actions = urllib.request.Request(
        f"{landsby.settings.action_url}/webhook",
        data=b"{}",
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(actions, timeout=10)
    assert refused.value.code == 401


def _listening(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_only_the_web_app_may_listen_beyond_loopback(landsby: Landsby) -> None:
    loopback = {"0100007F", "00000000000000000000000001000000"}
    assert _listening(landsby.settings.engine_port) <= loopback
    assert _listening(landsby.settings.action_port) <= loopback
    assert _listening(landsby.settings.engine_port) and _listening(landsby.settings.action_port)


def _stops_cleanly(pid: int, sig: signal.Signals) -> None:
    family = descendants(pid) | {pid}
    assert len(family) >= 3, "expected the supervisor, the engine and the action server"
    os.kill(pid, sig)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in family):
        time.sleep(0.2)
    assert not [p for p in family if alive(p)], "processes left running after the signal"


def test_sigint_stops_every_process_within_ten_seconds(landsby: Landsby) -> None:
    _stops_cleanly(landsby.pid, signal.SIGINT)


def test_a_second_start_is_quick_and_sigterm_stops_it(var_dir: Path) -> None:
    env = landsby_env(var_dir)
    settings = Settings.from_env(env)
    started = time.monotonic()
    with running([str(APP_PYTHON), "-m", "bot", "run"], env, var_dir / "run2.log") as proc:
        wait_for(f"http://127.0.0.1:{settings.port}/healthz", timeout=90, proc=proc)
        assert time.monotonic() - started < 90
        _stops_cleanly(proc.pid, signal.SIGTERM)
