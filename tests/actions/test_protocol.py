"""The current rasa-sdk (app environment) speaks Rasa 3.6's action protocol.

Rasa 3.6's own `RemoteAction`, running in the engine environment, calls our real action
server over HTTP; the events it gets back must be ones Rasa understands.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from tests.processes import APP_PYTHON, ENGINE_PYTHON, free_port, running, wait_for

CALL_ACTION = r"""
import asyncio, json, sys
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

url, token = sys.argv[1], sys.argv[2]
domain = Domain.load("domain.yml")
tracker = DialogueStateTracker.from_events(
    "protocol-test",
    [
        ActionExecuted("action_listen"),
        UserUttered(
            "kva er eit familieråd",
            intent={"name": "tilbakeforing.familierad", "confidence": 0.91},
            metadata={"lang": "nn"},
        ),
    ],
    slots=domain.slots,
)
auth = {"Authorization": f"Bearer {token}"}
action = RemoteAction("action_answer", EndpointConfig(url, headers=auth))
output = CollectingOutputChannel()
try:
    events = asyncio.run(
        action.run(output, TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain)
    )
except Exception as error:
    print(json.dumps({"error": type(error).__name__}))
else:
    print(json.dumps({"events": [e.as_dict() for e in events]}))
"""


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    tmp = tmp_path_factory.mktemp("actions")
    port = free_port()
    env = dict(os.environ) | {
        "LANDSBY_VAR_DIR": str(tmp / "var"),
        "LANDSBY_ACTION_PORT": str(port),
        "LANDSBY_ACTION_TOKEN": "protocol-test-token-0123456789",
    }
    settings = Settings.from_env(env)
    subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "kb", "load"], env=env, check=True, cwd=PROJECT_ROOT
    )
    with running([str(APP_PYTHON), "-m", "bot", "actions"], env, tmp / "actions.log") as proc:
        wait_for(f"{settings.action_url}/health", proc=proc, timeout=60)
        yield f"{settings.action_url}/webhook", settings.action_token


def call(url: str, token: str) -> dict[str, object]:
    result = subprocess.run(
        [str(ENGINE_PYTHON), "-c", CALL_ACTION, url, token],
        cwd=PROJECT_ROOT,
        env=dict(os.environ) | {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_rasa_36_runs_our_action_and_understands_its_events(action_server: tuple[str, str]) -> None:
    url, token = action_server
    result = call(url, token)
    events = result["events"]
    assert isinstance(events, list)
    bot = [e for e in events if e["event"] == "bot"]
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["topic"] == "tilbakeforing.familierad" and slots["lang"] == "nn"
    assert slots["article_version"]
    custom = bot[0]["data"]["custom"]
    assert custom["topic"] == "tilbakeforing.familierad" and custom["lang"] == "nn"
    assert custom["sources"]


def test_the_action_server_refuses_rasa_without_the_token(action_server: tuple[str, str]) -> None:
    url, _ = action_server
    assert "error" in call(url, "wrong-token-wrong-token-wrong")


def test_engine_python_is_rasa_36() -> None:
    version = subprocess.run(
        [str(ENGINE_PYTHON), "-c", "import rasa; print(rasa.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version.startswith("3.6.")
    assert Path(ENGINE_PYTHON).resolve() != Path(APP_PYTHON).resolve()
