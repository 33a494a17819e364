"""docs/openapi.yaml describes exactly the app's public routes, and real responses fit it."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
import yaml
from aiohttp import web
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.config import PROJECT_ROOT, Settings
from bot.web.app import create_app
from tests.web.conftest import StandInEngine

Client = Any
SPEC_FILE = PROJECT_ROOT / "docs" / "openapi.yaml"
SPEC_URI = "urn:landsby:openapi"
# The maintainers' review is an HTML application behind a login with CSRF-protected
# forms, not an interface for browsers of the public or integrators; DESIGN.md keeps it
# out of the public API. Everything else the app registers must be described.
PRIVATE_PREFIX = "/admin"
SESSION_ID = "s" * 32


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return dict(yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8")))


def registered_routes(app: web.Application) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every public route; HEAD must come with its GET."""
    found: set[tuple[str, str]] = set()
    heads: set[str] = set()
    for resource in app.router.resources():
        if isinstance(resource, web.StaticResource):
            found.add(("get", resource.canonical + "/{filename}"))
            continue
        path = re.sub(r"\{(\w+)(?::[^}]*)?\}", r"{\1}", resource.canonical)
        if path.startswith(PRIVATE_PREFIX):
            continue
        for route in resource:
            if route.method == "HEAD":
                heads.add(path)
            else:
                found.add((route.method.lower(), path))
    assert {p for p in heads if ("get", p) not in found} == set()
    return found


def described_routes(spec: dict[str, Any]) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete", "options", "head"}
    return {(m, path) for path, item in spec["paths"].items() for m in item if m in methods}


def test_every_public_route_is_described_and_nothing_else(
    spec: dict[str, Any], settings: Settings
) -> None:
    app = create_app(settings)
    assert registered_routes(app) == described_routes(spec)
    assert not any(path.startswith(PRIVATE_PREFIX) for _, path in described_routes(spec))


def test_every_reference_resolves(spec: dict[str, Any]) -> None:
    text = SPEC_FILE.read_text(encoding="utf-8")
    for ref in set(re.findall(r'\$ref: "#/([^"]+)"', text)):
        node: Any = spec
        for part in ref.split("/"):
            node = node[part]
        assert node, ref


def test_every_operation_has_an_id_and_json_errors_under_api(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    for path, item in spec["paths"].items():
        for op in item.values():
            for status, response in op["responses"].items():
                response = resolve(spec, response)
                if path.startswith("/api/") and int(status) >= 400:
                    assert list(response["content"]) == ["application/json"], (path, status)


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


class Conformance:
    """Checks real responses against the description, as a fuzzer would."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self.seen: set[tuple[str, str, int]] = set()

    async def check(self, resp: Any, method: str, path: str) -> Any:
        responses = self.spec["paths"][path][method]["responses"]
        status = str(resp.status)
        assert status in responses, f"{method} {path}: {status} is not described"
        described = resolve(self.spec, responses[status])
        for name, header in described.get("headers", {}).items():
            if header.get("required"):
                assert name in resp.headers, f"{method} {path} {status}: no {name}"
                assert re.search(header["schema"]["pattern"], resp.headers[name])
        content = described.get("content", {})
        body = await resp.read()
        if not content:
            assert body == b""
            self.seen.add((method, path, resp.status))
            return None
        media = resp.headers["Content-Type"].split(";")[0].strip()
        assert media in content, f"{method} {path} {status}: {media} is not described"
        assert b"Traceback" not in body
        parsed: Any = body.decode()
        if media == "application/json":
            parsed = await resp.json()
            pointer = "/".join(["#/paths", path.replace("/", "~1"), method, "responses", status])
            schema_ref = (
                f"{SPEC_URI}{pointer}/content/application~1json/schema"
                if "$ref" not in responses[status]
                else SPEC_URI + responses[status]["$ref"] + "/content/application~1json/schema"
            )
            jsonschema.Draft202012Validator({"$ref": schema_ref}, registry=self.registry).validate(
                parsed
            )
        self.seen.add((method, path, resp.status))
        return parsed


@pytest.fixture
def conformance(spec: dict[str, Any]) -> Conformance:
    return Conformance(spec)


async def test_chat_responses_fit_the_description(
    client: Client, stand_in: StandInEngine, conformance: Conformance
) -> None:
    check = conformance.check
    first = await check(
        await client.post("/api/chat", json={"message": "samvær"}), "post", "/api/chat"
    )
    assert "disclosure" in first
    again = await client.post(
        "/api/chat", json={"message": "/samvaer.plan", "session_id": first["session_id"]}
    )
    assert "disclosure" not in await check(again, "post", "/api/chat")
    await check(await client.post("/api/chat", json={"message": " "}), "post", "/api/chat")
    await check(await client.post("/api/chat", data=b"{"), "post", "/api/chat")
    long = {"message": "a" * 2001}
    await check(await client.post("/api/chat", json=long), "post", "/api/chat")
    huge = b'{"message": "' + b"a" * 70_000 + b'"}'
    await check(await client.post("/api/chat", data=huge), "post", "/api/chat")
    stand_in.mode = "down"
    await check(await client.post("/api/chat", json={"message": "samvær"}), "post", "/api/chat")
    stand_in.mode = "ok"
    statuses = []
    for _ in range(6):  # the test client allows 5 a minute per conversation
        resp = await client.post(
            "/api/chat", json={"message": "samvær", "session_id": first["session_id"]}
        )
        await check(resp, "post", "/api/chat")
        statuses.append(resp.status)
    assert statuses[-1] == 429
    assert {s for _, _, s in conformance.seen} == {200, 400, 413, 429, 503}


async def test_conversation_responses_fit_the_description(
    client: Client, conformance: Conformance
) -> None:
    check = conformance.check
    await check(await client.get("/api/welcome?lang=nn"), "get", "/api/welcome")
    await check(await client.get("/api/welcome?lang=xx"), "get", "/api/welcome")
    started = await (await client.post("/api/chat", json={"message": "samvær"})).json()
    session = started["session_id"]
    feedback = {"session_id": session, "value": "up", "topic": "samvaer.plan", "version": "ab12"}
    await check(await client.post("/api/feedback", json=feedback), "post", "/api/feedback")
    await check(await client.post("/api/feedback", json={"value": "up"}), "post", "/api/feedback")
    unknown = {"session_id": SESSION_ID, "value": "up"}
    await check(await client.post("/api/feedback", json=unknown), "post", "/api/feedback")
    delete = "/api/session/delete"
    await check(await client.post(delete, json={"session_id": session}), "post", delete)
    await check(await client.post(delete, json={"session_id": 1}), "post", delete)
    assert {s for _, _, s in conformance.seen} == {200, 204, 400, 404}


async def test_knowledge_base_responses_fit_the_description(
    client: Client, conformance: Conformance
) -> None:
    check = conformance.check
    topics = await check(await client.get("/api/topics"), "get", "/api/topics")
    for summary in topics["topics"]:
        await check(
            await client.get(f"/api/topics/{summary['topic']}"), "get", "/api/topics/{slug}"
        )
    await check(await client.get("/api/topics/finnes.ikke"), "get", "/api/topics/{slug}")
    await check(await client.get("/api/search?q=samvær"), "get", "/api/search")
    await check(await client.get("/api/search?q=%20"), "get", "/api/search")
    await check(await client.get("/api/search"), "get", "/api/search")
    served = await check(await client.get("/api/openapi.json"), "get", "/api/openapi.json")
    assert served["paths"].keys() == conformance.spec["paths"].keys()


async def test_pages_and_static_files_fit_the_description(
    client: Client, conformance: Conformance
) -> None:
    check = conformance.check
    await check(await client.get("/"), "get", "/")
    await check(await client.get("/faq?lang=nn"), "get", "/faq")
    await check(await client.get("/faq/search?q=samvær"), "get", "/faq/search")
    await check(await client.get("/faq/search"), "get", "/faq/search")
    await check(await client.get("/faq/samvaer.plan"), "get", "/faq/{slug}")
    await check(await client.get("/faq/finnes.ikke"), "get", "/faq/{slug}")
    for name in ("widget.js", "widget.css", "faq.css", "finnes-ikke.js"):
        await check(await client.get(f"/static/{name}"), "get", "/static/{filename}")
    assert {s for _, _, s in conformance.seen} == {200, 400, 404}


async def test_health_fits_the_description_up_and_down(
    client: Client, stand_in: StandInEngine, conformance: Conformance
) -> None:
    up = await conformance.check(await client.get("/healthz"), "get", "/healthz")
    assert up["status"] == "ok"
    stand_in.mode = "down"
    down = await conformance.check(await client.get("/healthz"), "get", "/healthz")
    assert down["down"] == ["engine", "actions"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/chat"), ("DELETE", "/api/topics")])
async def test_unsupported_methods_are_json_405_with_allow(
    client: Client, method: str, path: str
) -> None:
    resp = await client.request(method, path)
    assert resp.status == 405
    assert resp.headers["Allow"]
    assert (await resp.json())["error"]


async def test_the_served_description_shows_the_configured_message_limit(
    client: Client, settings: Settings
) -> None:
    served = await (await client.get("/api/openapi.json")).json()
    message = served["components"]["schemas"]["ChatRequest"]["properties"]["message"]
    assert message["maxLength"] == settings.max_message_chars
    assert served["openapi"].startswith("3.1")
