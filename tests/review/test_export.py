from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from bot.config import PROJECT_ROOT
from bot.review import annotation, conversations, export
from bot.review.annotation import Annotation
from tests.processes import ENGINE_PYTHON
from tests.review.scenario import NOW, Scenario
from tests.trackers import FakeTracker

WHEN = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the project's training and held-out data to export into."""
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", tmp_path / "data" / "nlu")
    (tmp_path / "tests" / "nlu").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "tests" / "nlu" / "heldout.yml", tmp_path / "tests" / "nlu")
    return tmp_path


def _turn(scenario: Scenario, message_id: str) -> conversations.Turn:
    return next(
        t
        for c in conversations.load(scenario.tracker_db)
        for t in c.turns
        if t.message_id == message_id
    )


def _add(scenario: Scenario, text: str, intent: str, confidence: float) -> str:
    c = FakeTracker(scenario.tracker_db).conversation(f"s-{abs(hash(text)):024d}", NOW - 600)
    message_id = c.user(text, intent, confidence)
    c.bot("answer", intent)
    return message_id


def _annotate(scenario: Scenario, root: Path) -> None:
    ids = scenario.ids
    annotation.annotate(
        scenario.app_db,
        _turn(scenario, ids["fallback"]),
        "corrected",
        "anna",
        "samvaer.besteforeldre",
    )
    annotation.annotate(scenario.app_db, _turn(scenario, ids["low"]), "confirmed", "anna")
    annotation.annotate(scenario.app_db, _turn(scenario, ids["changed"]), "not_question", "anna")
    duplicate = _add(scenario, "  HVOR ofte får jeg   se barnet mitt? ", "samvaer.hyppighet", 0.6)
    annotation.annotate(scenario.app_db, _turn(scenario, duplicate), "confirmed", "anna")
    # The redactor missed a name: the export must still refuse it.
    named = _add(scenario, "Kan Kari Nordmann være med på samværet?", "samvaer.besteforeldre", 0.5)
    annotation.annotate(scenario.app_db, _turn(scenario, named), "confirmed", "anna")
    # Annotated before the crisis rules knew this phrasing: never exported either.
    with Session(scenario.app_db) as session, session.begin():
        session.add(
            Annotation(
                message_id="old-crisis",
                session_id="s-old",
                text="jeg vil ikke leve lenger",
                said_at=WHEN,
                lang="nb",
                predicted="stotte.folelser",
                confidence=0.5,
                label="confirmed",
                topic="stotte.folelser",
                reviewer="anna",
                reviewed_at=WHEN,
            )
        )


def test_export_writes_approved_examples_with_provenance(scenario: Scenario, root: Path) -> None:
    _annotate(scenario, root)
    result = export.export(scenario.app_db, root, now=WHEN)
    assert result.path == root / "data/nlu/reviewed/2026-11.yml"
    assert (result.written, result.duplicates) == (2, 1)
    assert result.refused == {"personal data": 1, "crisis": 1}

    document = yaml.safe_load(result.path.read_text())
    assert document["version"] == "3.1"
    examples = {i["intent"]: i["examples"] for i in document["nlu"]}
    assert set(examples) == {"samvaer.besteforeldre", "rettigheter.nemnda"}
    [corrected] = examples["samvaer.besteforeldre"]
    assert corrected["text"] == "kan mormor bli med når vi møtes"
    assert corrected["metadata"] | {"annotation": 0} == {
        "source": "landsby-review",
        "annotation": 0,
        "label": "corrected",
        "predicted": "samvaer.besteforeldre",
        "confidence": 0.31,
        "lang": "nb",
        "said": corrected["metadata"]["said"],
        "reviewed_by": "anna",
        "reviewed": dt.datetime.now(dt.UTC).date().isoformat(),
        "exported": "2026-11-28",
    }
    text = result.path.read_text()
    assert "Kari" not in text and "leve" not in text and "HVOR" not in text

    # Everything was handled once: a second export finds nothing new.
    again = export.export(scenario.app_db, root, now=WHEN)
    assert (again.written, again.duplicates, again.refused, again.path) == (0, 0, {}, None)


def test_a_later_export_in_the_same_month_adds_to_the_file(scenario: Scenario, root: Path) -> None:
    annotation.annotate(scenario.app_db, _turn(scenario, scenario.ids["low"]), "confirmed", "anna")
    export.export(scenario.app_db, root, now=WHEN)
    annotation.annotate(
        scenario.app_db,
        _turn(scenario, scenario.ids["clarify"]),
        "corrected",
        "ola",
        "samvaer.plan",
    )
    # The same text again, from another conversation: exported only once.
    repeat = _add(scenario, "Hva skjer på et møte i nemnda?", "rettigheter.nemnda", 0.5)
    annotation.annotate(scenario.app_db, _turn(scenario, repeat), "confirmed", "ola")
    result = export.export(scenario.app_db, root, now=WHEN + dt.timedelta(days=1))
    assert (result.written, result.duplicates) == (1, 1)
    document = yaml.safe_load((root / "data/nlu/reviewed/2026-11.yml").read_text())
    assert {i["intent"]: len(i["examples"]) for i in document["nlu"]} == {
        "rettigheter.nemnda": 1,
        "samvaer.plan": 1,
    }


def test_crisis_turns_and_buttons_cannot_be_annotated(scenario: Scenario) -> None:
    for name in ("crisis", "button"):
        with pytest.raises(annotation.AnnotationError):
            annotation.annotate(
                scenario.app_db, _turn(scenario, scenario.ids[name]), "confirmed", "a"
            )


def test_corrections_must_name_a_known_non_crisis_topic(scenario: Scenario) -> None:
    turn = _turn(scenario, scenario.ids["low"])
    for topic in ("krise.selvmord", "finnes.ikke", None):
        with pytest.raises(annotation.AnnotationError):
            annotation.annotate(scenario.app_db, turn, "corrected", "anna", topic)


def test_exported_annotations_cannot_be_changed(scenario: Scenario, root: Path) -> None:
    turn = _turn(scenario, scenario.ids["low"])
    annotation.annotate(scenario.app_db, turn, "confirmed", "anna")
    export.export(scenario.app_db, root, now=WHEN)
    with pytest.raises(annotation.AnnotationError):
        annotation.annotate(scenario.app_db, turn, "not_question", "anna")


@pytest.mark.skipif(not ENGINE_PYTHON.exists(), reason="needs the engine environment")
def test_exported_file_passes_rasa_data_validate(scenario: Scenario, root: Path) -> None:
    _annotate(scenario, root)
    assert export.export(scenario.app_db, root, now=WHEN).written == 2
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [
            str(ENGINE_PYTHON.parent / "rasa"),
            "data",
            "validate",
            "--fail-on-warnings",
            "--domain",
            "domain.yml",
            "--data",
            str(root / "data" / "nlu"),
            "data/rules",
            "data/stories",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Rasa reads the examples and their provenance.
    load = (
        "import json, sys; from rasa.shared.nlu.training_data.loading import load_data; "
        "d = load_data(sys.argv[1]); "
        "print(json.dumps([[e.get('text'), e.get('intent'), e.get('metadata')] "
        "for e in d.intent_examples]))"
    )
    loaded = subprocess.run(
        [str(ENGINE_PYTHON), "-c", load, str(root / export.REVIEWED_DIR / "2026-11.yml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    examples = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert sorted((text, intent) for text, intent, _ in examples) == [
        ("Hva skjer på et møte i nemnda?", "rettigheter.nemnda"),
        ("kan mormor bli med når vi møtes", "samvaer.besteforeldre"),
    ]
    assert all(meta["example"]["source"] == "landsby-review" for _, _, meta in examples)


def test_deleting_a_conversation_deletes_its_annotations(scenario: Scenario) -> None:
    from bot import retention

    turn = _turn(scenario, scenario.ids["low"])
    annotation.annotate(scenario.app_db, turn, "confirmed", "anna")
    retention.delete_session(scenario.app_db, scenario.tracker_db, turn.sender_id)
    assert annotation.for_messages(scenario.app_db, [turn.message_id]) == {}
    assert conversations.find(scenario.tracker_db, turn.sender_id) is None
