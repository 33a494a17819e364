"""`landsby retrain` end to end with stand-in training and predictions, and `landsby user`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot import evaluation, training
from bot.cli import main
from bot.config import Settings
from bot.db import make_engine
from bot.evaluation import Prediction
from bot.review import registry, retrain
from bot.review.users import Accounts

HELD_OUT = [
    (f"spørsmål {i}", topic) for i in range(10) for topic in ("samvaer.plan", "rettigheter.klage")
]


@pytest.fixture
def stand_ins(no_engine: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Training writes a file; each candidate gets `errors` klage questions wrong."""
    settings = no_engine
    base = training.model_path(settings)
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_bytes(b"model")
    quality = {"errors": 0.0}
    errors_of: dict[Path, int] = {}

    def train_candidate(settings: Settings) -> Path:
        path = (
            settings.models_dir
            / "candidates"
            / f"landsby-test-{len(registry.models(settings))}.tar.gz"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"candidate")
        errors_of[path.resolve()] = int(quality["errors"])
        return path

    def predict(settings: Settings, model: Path, test_file: str) -> list[Prediction]:
        wrong = errors_of.get(model.resolve(), 0)
        predictions = []
        for i, (text, topic) in enumerate(HELD_OUT):
            miss = topic == "rettigheter.klage" and i // 2 < wrong
            predicted = "samvaer.plan" if miss else topic
            predictions.append(Prediction(text, topic, predicted, 0.9, [(predicted, 0.9)]))
        return predictions

    monkeypatch.setattr(retrain, "train_candidate", train_candidate)
    monkeypatch.setattr(evaluation, "predict_with_model", predict)
    return quality


def test_retrain_refuses_a_worse_candidate(
    no_engine: Settings, stand_ins: dict[str, float], capsys: pytest.CaptureFixture[str]
) -> None:
    stand_ins["errors"] = 3
    assert main(["retrain"]) == 3
    out, err = capsys.readouterr()
    assert "gate: refused" in out and "rettigheter.klage" in out and "not promoted" in err
    assert registry.current_model(no_engine) is None
    [candidate] = (no_engine.models_dir / "candidates").glob("*.tar.gz")
    comparison = retrain.load_comparison(candidate)
    assert comparison is not None and not comparison.gate.passed
    assert registry.sidecar(candidate, "metrics").exists()
    assert registry.sidecar(registry.active_model(no_engine), "metrics").exists()


def test_retrain_promotes_a_candidate_that_is_not_worse(
    no_engine: Settings, stand_ins: dict[str, float], tmp_path: Path
) -> None:
    status = tmp_path / "status.json"
    assert main(["retrain", "--status-file", str(status), "--by", "anna"]) == 0
    current = registry.current_model(no_engine)
    assert current is not None and current.parent.name == "candidates"
    assert json.loads(status.read_text()) | {"updated": "", "pid": 0} == {
        "state": "done",
        "stage": "done",
        "candidate": current.name,
        "passed": True,
        "by": "anna",
        "updated": "",
        "pid": 0,
    }
    # --max-topic-drop loosens the gate; --no-promote only compares.
    stand_ins["errors"] = 1
    assert main(["retrain", "--no-promote"]) == 0
    assert registry.current_model(no_engine) == current
    assert main(["retrain", "--max-topic-drop", "0.5"]) == 3  # accuracy still drops
    assert main(["retrain", "--force"]) == 0
    assert registry.history(no_engine)[0]["forced"] is True


def test_user_commands(no_engine: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def run(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main(["user", *args])

    password = "et langt og godt passord\n"
    assert run("add", "maria", "--role", "reader", "--password-stdin", stdin=password) == 0
    assert run("add", "maria", "--role", "reader", "--password-stdin", stdin=password) == 1
    assert run("add", "kort", "--role", "maintainer", "--password-stdin", stdin="kort\n") == 1
    accounts = Accounts(make_engine(no_engine.db_url))
    user = accounts.authenticate("maria", password.strip())
    assert user is not None and user.role == "reader" and not user.can_edit
    assert accounts.authenticate("maria", "feil") is None
    assert run("remove", "maria") == 0 and run("remove", "maria") == 1
    assert accounts.users() == []
