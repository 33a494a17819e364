"""The Kubernetes manifests fit the code: settings, commands, ports and replica lists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot import cli
from bot.config import PROJECT_ROOT, Settings

K8S = PROJECT_ROOT / "deploy" / "k8s"
SECRETS = {
    "LANDSBY_DB_URL": "postgresql+psycopg://landsby:pw@db/landsby",
    "LANDSBY_TRACKER_DB_URL": "postgresql+psycopg://landsby:pw@db/landsby",
    "LANDSBY_ENGINE_TOKEN": "t" * 32,
    "LANDSBY_ACTION_TOKEN": "a" * 32,
    "LANDSBY_ADMIN_PASSWORD": "",
}


def _documents() -> list[dict[str, Any]]:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in K8S.glob("*.yaml") if p.stem != "kustomization")
    return [d for name in listed for d in yaml.safe_load_all((K8S / name).read_text()) if d]


def _kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _documents() if d["kind"] == kind}


def _containers() -> list[tuple[str, dict[str, Any]]]:
    workloads = [d for d in _documents() if d["kind"] in ("Deployment", "StatefulSet", "Job")]
    return [
        (w["metadata"]["name"], c)
        for w in workloads
        for c in w["spec"]["template"]["spec"]["containers"]
    ]


def _env(container: dict[str, Any]) -> dict[str, str]:
    """What a Landsby container sees: config map, secret (test values), its own env."""
    config = _kind("ConfigMap")["landsby-config"]["data"]
    return config | SECRETS | {e["name"]: e["value"] for e in container.get("env", [])}


def test_every_landsby_variable_in_the_manifests_is_a_setting() -> None:
    known = set(re.findall(r'"(LANDSBY_[A-Z_]+)"', (PROJECT_ROOT / "bot/config.py").read_text()))
    used = set(_kind("ConfigMap")["landsby-config"]["data"]) | set(SECRETS)
    for _, container in _containers():
        used |= {e["name"] for e in container.get("env", [])}
    assert {v for v in used if v.startswith("LANDSBY_")} <= known


def test_each_landsby_container_runs_a_command_with_valid_settings(tmp_path: Path) -> None:
    commands = set(cli.parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for name, container in _containers():
        if container["image"] != "landsby":
            continue
        argv = container.get("args") or container["command"][-1].split()
        assert {a for a in argv if a in commands}, name
        settings = Settings.from_env(_env(container) | {"LANDSBY_VAR_DIR": str(tmp_path)})
        if name == "engine":
            assert settings.internal_host == "0.0.0.0" and settings.engine_replicas == 1
            assert settings.lock_store_url.startswith("redis://")
        if name == "web":
            assert settings.host == "0.0.0.0"


def test_the_web_app_knows_every_engine_replica() -> None:
    engine = _kind("StatefulSet")["engine"]
    urls = Settings.from_env(
        _kind("ConfigMap")["landsby-config"]["data"] | {"LANDSBY_VAR_DIR": "/tmp"}
    ).engine_urls
    service = engine["spec"]["serviceName"]
    expected = tuple(f"http://engine-{i}.{service}:5005" for i in range(engine["spec"]["replicas"]))
    assert urls == expected


def test_services_point_at_named_container_ports() -> None:
    ports_by_app = {}
    for doc in _documents():
        if doc["kind"] in ("Deployment", "StatefulSet"):
            app = doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]
            containers = doc["spec"]["template"]["spec"]["containers"]
            ports_by_app[app] = {p["name"] for c in containers for p in c.get("ports", [])}
    for name, service in _kind("Service").items():
        app = service["spec"]["selector"]["app.kubernetes.io/name"]
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports_by_app[app], name


def test_no_secret_values_in_the_manifests() -> None:
    assert not _kind("Secret")
    text = "\n".join(p.read_text() for p in K8S.glob("*.yaml"))
    assert "PASSWORD:" not in text and "TOKEN:" not in text
