"""/admin: login, sessions, CSRF, roles, the review queue and the model actions."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.config import PROJECT_ROOT, Settings
from bot.db import create_tables, make_engine
from bot.review import annotation, registry, retrain
from bot.review.users import Accounts
from bot.web.app import create_app
from tests.processes import free_port
from tests.review.scenario import Scenario, build_scenario

PASSWORD = "riktig hest batteri stift"
Client = TestClient[web.Request, web.Application]


@dataclass
class Admin:
    client: Client
    scenario: Scenario
    settings: Settings

    async def login(self, name: str, password: str = PASSWORD) -> Any:
        page = await self.client.get("/admin/login")
        token = _csrf(await page.text())
        return await self.client.post(
            "/admin/login",
            data={"name": name, "password": password, "csrf": token, "next": "/admin/queue"},
            allow_redirects=False,
        )

    async def csrf(self) -> str:
        return _csrf(await (await self.client.get("/admin/models")).text())


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
async def admin(settings: Settings, tmp_path: Path, aiohttp_client: Any) -> Admin:
    app_db = make_engine(settings.db_url)
    create_tables(app_db)
    scenario = build_scenario(make_engine(settings.tracker_db_url), app_db)
    accounts = Accounts(app_db)
    accounts.add("anna", PASSWORD, "maintainer")
    accounts.add("lars", PASSWORD, "reader")
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", root / "data" / "nlu")
    (root / "tests" / "nlu").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "tests" / "nlu" / "heldout.yml", root / "tests" / "nlu")
    configured = dataclasses.replace(settings, root=root, engine_port=free_port())
    client = await aiohttp_client(create_app(configured))
    return Admin(client, scenario, configured)


# ------------------------------------------------------------------------ login required

PAGES = [
    "/admin",
    "/admin/queue",
    "/admin/conversations",
    "/admin/conversations/s-fallback-000000000000000",
    "/admin/models",
    "/admin/retrain",
    "/admin/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
async def test_pages_redirect_to_login(admin: Admin, path: str) -> None:
    resp = await admin.client.get(path, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/admin/login?next=")


async def test_json_requests_get_401(admin: Admin) -> None:
    resp = await admin.client.get("/admin/api/queue")
    assert resp.status == 401 and "error" in await resp.json()
    resp = await admin.client.get("/admin/queue", headers={"Accept": "application/json"})
    assert resp.status == 401


async def test_every_admin_route_requires_login(admin: Admin) -> None:
    for route in admin.client.app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if not path.startswith("/admin") or path == "/admin/login" or route.method == "HEAD":
            continue
        method = "GET" if route.method == "*" else route.method
        url = re.sub(r"\{[^}]+\}", "x", path)
        resp = await admin.client.request(method, url, allow_redirects=False)
        assert resp.status in (303, 401), (method, url, resp.status)


async def test_login_sets_a_strict_http_only_session_cookie(admin: Admin) -> None:
    resp = await admin.login("anna")
    assert resp.status == 303 and resp.headers["Location"] == "/admin/queue"
    cookie = next(c for c in resp.headers.getall("Set-Cookie") if c.startswith("landsby_admin="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # plain HTTP in the test; set when the request is HTTPS
    page = await admin.client.get("/admin/queue")
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    assert "anna (vedlikeholder)" in await page.text()


async def test_wrong_password_or_unknown_user_is_refused(admin: Admin) -> None:
    for name, password in (("anna", "feil passord her"), ("nobody", PASSWORD)):
        resp = await admin.login(name, password)
        assert resp.status == 401
        assert "Feil brukernavn eller passord." in await resp.text()
        assert not any(
            c.startswith("landsby_admin=") for c in resp.headers.getall("Set-Cookie", [])
        )
    resp = await admin.client.get("/admin", allow_redirects=False)
    assert resp.status == 303


async def test_login_is_rate_limited(admin: Admin) -> None:
    for _ in range(5):
        assert (await admin.login("anna", "feil passord her")).status == 401
    resp = await admin.login("anna")  # even the right password waits now
    assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0


async def test_login_form_needs_its_csrf_token(admin: Admin) -> None:
    await admin.client.get("/admin/login")
    resp = await admin.client.post(
        "/admin/login", data={"name": "anna", "password": PASSWORD, "csrf": "forged"}
    )
    assert resp.status == 403


async def test_logout_ends_the_session(admin: Admin) -> None:
    await admin.login("anna")
    token = await admin.csrf()
    resp = await admin.client.post("/admin/logout", data={"csrf": token}, allow_redirects=False)
    assert resp.status == 303
    assert (await admin.client.get("/admin", allow_redirects=False)).status == 303


async def test_sessions_expire_after_idling(admin: Admin) -> None:
    import datetime as dt

    accounts = Accounts(admin.scenario.app_db)
    user = accounts.authenticate("anna", PASSWORD)
    assert user is not None
    token, _ = accounts.start_session(user)
    now = dt.datetime.now(dt.UTC)
    assert accounts.session(token, now + dt.timedelta(hours=7)) is not None
    assert accounts.session(token, now + dt.timedelta(hours=15, minutes=1)) is None
    assert accounts.session(token) is None  # forgotten once expired


# --------------------------------------------------------------------- annotate, roles


def _form(admin: Admin, name: str, label: str, csrf: str, topic: str = "") -> dict[str, str]:
    sender = {
        "fallback": "s-fallback-000000000000000",
        "crisis": "s-crisis-00000000000000000",
    }[name]
    return {
        "csrf": csrf,
        "sender_id": sender,
        "message_id": admin.scenario.ids[name],
        "label": label,
        "topic": topic,
        "next": "/admin/queue",
    }


async def test_annotation_round_trip(admin: Admin) -> None:
    await admin.login("anna")
    queue_page = await (await admin.client.get("/admin/queue")).text()
    assert "kan mormor bli med når vi møtes" in queue_page
    assert "jeg orker ikke mer" not in queue_page  # crisis messages are never queued
    token = _csrf(queue_page)
    resp = await admin.client.post(
        "/admin/annotate",
        data=_form(admin, "fallback", "corrected", token, "samvaer.besteforeldre"),
        allow_redirects=False,
    )
    assert resp.status == 303 and resp.headers["Location"] == "/admin/queue"

    stored = annotation.for_messages(admin.scenario.app_db, [admin.scenario.ids["fallback"]])
    row = stored[admin.scenario.ids["fallback"]]
    assert (row.label, row.topic, row.reviewer) == ("corrected", "samvaer.besteforeldre", "anna")
    assert "kan mormor bli med" not in await (await admin.client.get("/admin/queue")).text()
    reviewed = await (await admin.client.get("/admin/queue?status=reviewed")).text()
    assert "rettet</strong> → <code>samvaer.besteforeldre</code> av anna" in reviewed
    data = await (await admin.client.get("/admin/api/queue?status=reviewed")).json()
    assert [i["label"] for i in data["items"]] == ["corrected"]

    resp = await admin.client.post("/admin/export", data={"csrf": token})
    assert resp.status == 200 and "exported 1 examples" in await resp.text()
    assert (admin.settings.root / "data/nlu/reviewed").is_dir()


async def test_a_post_without_the_right_csrf_token_is_rejected(admin: Admin) -> None:
    await admin.login("anna")
    for token in ("", "forged"):
        resp = await admin.client.post(
            "/admin/annotate", data=_form(admin, "fallback", "confirmed", token)
        )
        assert resp.status == 403
    assert annotation.for_messages(admin.scenario.app_db, [admin.scenario.ids["fallback"]]) == {}


async def test_a_reader_can_look_but_not_annotate(admin: Admin) -> None:
    await admin.login("lars")
    page = await (await admin.client.get("/admin/queue")).text()
    assert "kan mormor bli med" in page and 'action="/admin/annotate"' not in page
    token = _csrf(page)
    resp = await admin.client.post(
        "/admin/annotate", data=_form(admin, "fallback", "confirmed", token)
    )
    assert resp.status == 403
    for path in ("/admin/export", "/admin/retrain", "/admin/promote", "/admin/rollback"):
        assert (await admin.client.post(path, data={"csrf": token})).status == 403
    assert annotation.for_messages(admin.scenario.app_db, [admin.scenario.ids["fallback"]]) == {}


async def test_crisis_messages_are_shown_but_never_exportable(admin: Admin) -> None:
    await admin.login("anna")
    page = await (await admin.client.get("/admin/conversations/s-crisis-00000000000000000")).text()
    assert "jeg orker ikke mer" in page and "eksporteres aldri" in page
    assert 'action="/admin/annotate"' not in page
    resp = await admin.client.post(
        "/admin/annotate", data=_form(admin, "crisis", "confirmed", _csrf(page))
    )
    assert resp.status == 400


async def test_overview_chart_is_server_rendered_svg(admin: Admin) -> None:
    await admin.login("lars")
    resp = await admin.client.get("/admin")
    html = await resp.text()
    assert resp.status == 200 and html.count("<svg") == 3
    assert "<script" not in html and "style=" not in html
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


async def test_conversation_browser(admin: Admin) -> None:
    await admin.login("lars")
    html = await (await admin.client.get("/admin/conversations")).text()
    assert "7 samtaler" in html and 'href="/admin/conversations/s-clarify-' in html
    page = await admin.client.get("/admin/conversations/s-clarify-0000000000000000")
    text = await page.text()
    assert "kva med sommarferien" in text and "Knappetrykk" in text
    assert (await admin.client.get("/admin/conversations/unknown")).status == 404


# ------------------------------------------------------------------------------ models


def _candidate(settings: Settings, name: str, passed: bool) -> Path:
    from tests.review.test_promotion import CURRENT, metrics

    path = settings.models_dir / "candidates" / f"{name}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"model")
    candidate = CURRENT if passed else metrics(0.1, 0.1, samvaer_tilsyn=0.1)
    current = registry.active_model(settings)
    comparison = retrain.compare(name, candidate, registry.model_stem(current), CURRENT)
    registry.sidecar(path, "comparison").write_text(json.dumps(comparison.to_dict()))
    retrain.write_status(
        retrain.status_path(settings), state="done", stage="done", candidate=path.name
    )
    return path


async def test_promote_and_roll_back_from_the_admin(admin: Admin) -> None:
    settings = admin.settings
    base = registry.active_model(settings)
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_bytes(b"model")
    worse = _candidate(settings, "landsby-worse", passed=False)
    await admin.login("anna")
    page = await (await admin.client.get("/admin/models")).text()
    assert "Kvalitetskontrollen sier nei" in page and "accuracy drops" in page
    token = _csrf(page)
    resp = await admin.client.post("/admin/promote", data={"csrf": token, "model": worse.name})
    assert resp.status == 409 and registry.current_model(settings) is None

    better = _candidate(settings, "landsby-better", passed=True)
    resp = await admin.client.post("/admin/promote", data={"csrf": token, "model": better.name})
    assert resp.status == 200 and "er nå gjeldende modell" in await resp.text()
    assert registry.current_model(settings) == better.resolve()

    resp = await admin.client.post("/admin/rollback", data={"csrf": token})
    assert resp.status == 200 and registry.current_model(settings) == base.resolve()


async def test_retrain_status_page(admin: Admin) -> None:
    import os

    await admin.login("lars")
    path = retrain.status_path(admin.settings)
    retrain.write_status(path, state="running", stage="training", pid=os.getpid())
    html = await (await admin.client.get("/admin/retrain")).text()
    assert "trener kandidatmodellen" in html and 'http-equiv="refresh"' in html
    retrain.write_status(path, state="running", stage="training", pid=2**22 + 12345)
    html = await (await admin.client.get("/admin/retrain")).text()
    assert "Treningen feilet" in html  # the process is gone


def test_the_admin_password_bootstraps_one_maintainer_only_once(tmp_path: Path) -> None:
    from bot.db import create_tables, make_engine
    from bot.review import users

    engine = make_engine(f"sqlite:///{tmp_path / 'admin.db'}")
    create_tables(engine)
    assert users.bootstrap_admin(engine, "") is None
    first = users.bootstrap_admin(engine, "et-langt-testpassord-1")
    assert first is not None and first.name == "admin" and first.can_edit
    assert users.bootstrap_admin(engine, "et-annet-testpassord-2") is None
    assert users.Accounts(engine).authenticate("admin", "et-langt-testpassord-1")
