"""`/admin`: the maintainers' review of conversations, annotation, export and models.

Behind a login (server-side sessions, CSRF token on every form). Readers may look;
maintainers may also annotate, export, retrain, promote and roll back. Conversation
texts are already redacted; crisis messages are shown but never offered for export.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hmac
import json
import os
import secrets
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import feedback
from bot.config import Settings
from bot.review import annotation, conversations, export, queue, registry, retrain, stats
from bot.review.users import Accounts, LoginSession, Role
from bot.topics import ALL_TOPICS
from bot.web.context import CONTEXT, context
from bot.web.ratelimit import RateLimiter, client_address

routes = web.RouteTableDef()

COOKIE = "landsby_admin"
LOGIN_COOKIE = "landsby_admin_login"  # CSRF token of the login form, before any session
LOGIN_ATTEMPTS_PER_ADDRESS = 10  # per minute
LOGIN_ATTEMPTS_PER_NAME = 5  # per minute
QUEUE_LIMIT = 100
CONVERSATIONS_LIMIT = 200
STATS_DAYS = 30

LABELS = {
    "confirmed": "bekreftet",
    "corrected": "rettet",
    "new_topic": "nytt tema trengs",
    "not_question": "ikke et spørsmål",
    "personal_data": "inneholder personopplysninger",
}
REASONS = {
    "fallback": "forsto ikke",
    "thumbs_down": "tommel ned",
    "clarify": "oppklarende spørsmål",
    "topic_change": "byttet tema rett etter svaret",
    "low_confidence": "lav sikkerhet",
}
STAGES = {
    "starting": "starter",
    "training": "trener kandidatmodellen",
    "evaluating the candidate": "evaluerer kandidaten",
    "evaluating the current model": "evaluerer nåværende modell",
    "done": "ferdig",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class AdminState:
    accounts: Accounts
    address_limiter: RateLimiter
    name_limiter: RateLimiter
    job: asyncio.subprocess.Process | None = None


ADMIN = web.AppKey("admin", AdminState)
_LOGIN = web.RequestKey("admin_login", LoginSession)


def setup(app: web.Application) -> None:
    """Register /admin; call after the cleanup context that builds the AppContext."""
    app.cleanup_ctx.append(_admin_state)
    app.add_routes(routes)


async def _admin_state(app: web.Application) -> AsyncIterator[None]:
    accounts = Accounts(app[CONTEXT].kb.engine)
    accounts.forget_expired()
    app[ADMIN] = AdminState(
        accounts, RateLimiter(LOGIN_ATTEMPTS_PER_ADDRESS), RateLimiter(LOGIN_ATTEMPTS_PER_NAME)
    )
    yield
    await _stop_job(app[ADMIN])


def _state(request: web.Request) -> AdminState:
    return request.app[ADMIN]


def _login(request: web.Request) -> LoginSession:
    return request[_LOGIN]


def _wants_json(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/admin/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _safe_next(value: object) -> str:
    """A redirect target inside /admin only (never another site)."""
    target = str(value or "")
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin"


def requires(role: Role = "reader") -> Callable[[Handler], Handler]:
    """Log-in (and, for POST, a valid CSRF token) required; `maintainer` to change things."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            token = request.cookies.get(COOKIE)
            login = _state(request).accounts.session(token) if token else None
            if login is None:
                if _wants_json(request):
                    raise web.HTTPUnauthorized(
                        text=json.dumps({"error": "Logg inn for å bruke denne siden."}),
                        content_type="application/json",
                    )
                target = request.path_qs if request.method == "GET" else "/admin"
                raise web.HTTPSeeOther(f"/admin/login?next={quote(target, safe='')}")
            if request.method == "POST":
                form = await request.post()
                if not hmac.compare_digest(str(form.get("csrf", "")), login.csrf):
                    raise web.HTTPForbidden(
                        text="Skjemaet er utløpt eller ugyldig. Last siden på nytt og prøv igjen."
                    )
            if role == "maintainer" and not login.user.can_edit:
                raise web.HTTPForbidden(text="Bare vedlikeholdere kan gjøre dette.")
            request[_LOGIN] = login
            response = await handler(request)
            response.headers["Cache-Control"] = "no-store"
            return response

        return guarded

    return wrap


def _render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    login = request.get(_LOGIN)
    page = {
        "user": login.user if login else None,
        "csrf": login.csrf if login else "",
        "path": request.path,
        "labels": LABELS,
        "reasons": REASONS,
        **values,
    }
    response = aiohttp_jinja2.render_template(template, request, page, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------------------- login


@routes.get("/admin/login")
async def login_page(request: web.Request) -> web.Response:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = _render(
        request, "admin_login.html", login_csrf=token, next=_safe_next(request.query.get("next"))
    )
    _set_cookie(request, response, LOGIN_COOKIE, token)
    return response


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str) -> None:
    response.set_cookie(
        name, value, path="/admin", httponly=True, samesite="Strict", secure=request.secure
    )


@routes.post("/admin/login")
async def login(request: web.Request) -> web.Response:
    state = _state(request)
    form = await request.post()
    name = str(form.get("name", "")).strip().lower()[:64]
    target = _safe_next(form.get("next"))
    wait = max(state.address_limiter.hit(client_address(request)), state.name_limiter.hit(name))
    if wait:
        response = _render(
            request,
            "admin_login.html",
            status=429,
            error="For mange forsøk. Vent litt og prøv igjen.",
            login_csrf=request.cookies.get(LOGIN_COOKIE, ""),
            next=target,
        )
        response.headers["Retry-After"] = str(int(wait))
        return response
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
        raise web.HTTPForbidden(text="Skjemaet er utløpt. Last innloggingssiden på nytt.")
    password = str(form.get("password", ""))
    user = await asyncio.to_thread(state.accounts.authenticate, name, password)
    if user is None:
        return _render(
            request,
            "admin_login.html",
            status=401,
            error="Feil brukernavn eller passord.",
            login_csrf=expected,
            next=target,
        )
    token, _ = state.accounts.start_session(user)
    response = web.Response(status=303, headers={"Location": target})
    _set_cookie(request, response, COOKIE, token)
    response.del_cookie(LOGIN_COOKIE, path="/admin")
    return response


@routes.post("/admin/logout")
@requires()
async def logout(request: web.Request) -> web.Response:
    token = request.cookies.get(COOKIE, "")
    _state(request).accounts.end_session(token)
    response = web.Response(status=303, headers={"Location": "/admin/login"})
    response.del_cookie(COOKIE, path="/admin")
    return response


# ---------------------------------------------------------------------------- overview


def _votes_since(request: web.Request, since: dt.datetime) -> list[feedback.Feedback]:
    with Session(context(request).kb.engine) as session:
        return list(
            session.scalars(select(feedback.Feedback).where(feedback.Feedback.created >= since))
        )


def _today() -> dt.date:
    return conversations.local_time(dt.datetime.now(dt.UTC).timestamp()).date()


@routes.get("/admin")
@requires()
async def overview(request: web.Request) -> web.Response:
    ctx = context(request)
    last = _today()
    first = last - dt.timedelta(days=STATS_DAYS - 1)
    since = conversations.day_start(first)
    found = conversations.load(ctx.tracker_db, since=since)
    votes = _votes_since(request, dt.datetime.fromtimestamp(since, dt.UTC))
    days = stats.per_day(found, [(v.value, v.created) for v in votes], first, last)
    labels = [d.day.strftime("%d.%m") for d in days]
    charts = [
        stats.bar_chart(
            "Samtaler og meldinger per dag",
            labels,
            [
                ("samtaler", "s1", [d.conversations for d in days]),
                ("meldinger", "s2", [d.messages for d in days]),
            ],
        ),
        stats.bar_chart(
            "Andel «forsto ikke» per dag",
            labels,
            [("forsto ikke", "s3", [d.fallback_rate for d in days])],
            percent=True,
        ),
        stats.bar_chart(
            "Tilbakemeldinger per dag",
            labels,
            [
                ("tommel opp", "s4", [d.thumbs_up for d in days]),
                ("tommel ned", "s5", [d.thumbs_down for d in days]),
            ],
        ),
    ]
    return _render(
        request,
        "admin_overview.html",
        days=list(reversed(days)),
        charts=charts,
        model=registry.active_model(ctx.settings),
    )


# ------------------------------------------------------------------------------- queue


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: web.Request) -> queue.Filters:
    q = request.query
    try:
        max_confidence: float | None = (
            float(q["max_confidence"]) if q.get("max_confidence") else None
        )
    except ValueError:
        max_confidence = None
    status = q.get("status", "open")
    return queue.Filters(
        since=_date(q.get("since")),
        until=_date(q.get("until")),
        topic=q.get("topic") if q.get("topic") in ALL_TOPICS else None,
        lang=q.get("lang") if q.get("lang") in ("nb", "nn", "en") else None,
        max_confidence=max_confidence,
        status=cast(queue.Status, status if status in ("open", "reviewed", "all") else "open"),
    )


def _votes(request: web.Request, session_ids: list[str]) -> list[queue.Vote]:
    """Thumbs down given in these conversations."""
    with Session(context(request).kb.engine) as session:
        downs = session.scalars(
            select(feedback.Feedback).where(
                feedback.Feedback.value == "down", feedback.Feedback.session_id.in_(session_ids)
            )
        )
        return [queue.Vote(v.session_id, v.topic, _timestamp(v.created)) for v in downs]


def _queue(request: web.Request, filters: queue.Filters) -> list[queue.Item]:
    ctx = context(request)
    since, until = filters.window()
    found = conversations.load(ctx.tracker_db, since, until)
    votes = _votes(request, [c.sender_id for c in found])
    annotated = annotation.for_messages(
        ctx.kb.engine, [t.message_id for c in found for t in c.turns]
    )
    return queue.build(found, votes, annotated, filters)


def _timestamp(value: dt.datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()


def _context_of(item: queue.Item, before: int = 2, after: int = 1) -> list[conversations.Turn]:
    turns = list(item.conversation.turns)
    i = turns.index(item.turn)
    return turns[max(0, i - before) : i + after + 1]


@routes.get("/admin/queue")
@requires()
async def review_queue(request: web.Request) -> web.Response:
    filters = _filters(request)
    items = _queue(request, filters)
    return _render(
        request,
        "admin_queue.html",
        items=items[:QUEUE_LIMIT],
        total=len(items),
        filters=filters,
        context_of=_context_of,
        topics=ALL_TOPICS,
        topic_choices=annotation.TOPIC_CHOICES,
        back=request.path_qs,
    )


@routes.get("/admin/api/queue")
@requires()
async def queue_json(request: web.Request) -> web.Response:
    items = _queue(request, _filters(request))
    return web.json_response(
        {
            "total": len(items),
            "items": [
                {
                    "session_id": i.turn.sender_id,
                    "message_id": i.turn.message_id,
                    "time": i.turn.time.isoformat(),
                    "text": i.turn.text,
                    "topic": i.turn.topic,
                    "confidence": i.turn.topic_confidence,
                    "lang": i.turn.lang,
                    "reasons": list(i.reasons),
                    "score": i.score,
                    "label": i.annotation.label if i.annotation else None,
                }
                for i in items[:QUEUE_LIMIT]
            ],
        },
        headers={"Cache-Control": "no-store"},
    )


@routes.post("/admin/annotate")
@requires("maintainer")
async def annotate(request: web.Request) -> web.Response:
    ctx = context(request)
    form = await request.post()
    conversation = conversations.find(ctx.tracker_db, str(form.get("sender_id", "")))
    message_id = str(form.get("message_id", ""))
    turns = conversation.turns if conversation else ()
    turn = next((t for t in turns if t.message_id == message_id), None)
    if turn is None:
        raise web.HTTPNotFound(text="Fant ikke meldingen. Kanskje samtalen er slettet.")
    topic = str(form.get("topic", "")) or None
    try:
        annotation.annotate(
            ctx.kb.engine, turn, str(form.get("label", "")), _login(request).user.name, topic
        )
    except annotation.AnnotationError as exc:
        raise web.HTTPBadRequest(text=f"Kunne ikke lagre vurderingen: {exc}") from exc
    return web.Response(status=303, headers={"Location": _safe_next(form.get("next"))})


# ----------------------------------------------------------------------- conversations


@routes.get("/admin/conversations")
@requires()
async def conversation_list(request: web.Request) -> web.Response:
    since, until = _date(request.query.get("since")), _date(request.query.get("until"))
    found = conversations.load(
        context(request).tracker_db,
        conversations.day_start(since) if since else None,
        conversations.day_start(until + dt.timedelta(days=1)) if until else None,
    )
    return _render(
        request,
        "admin_conversations.html",
        conversations=found[:CONVERSATIONS_LIMIT],
        total=len(found),
        since=since,
        until=until,
    )


@routes.get("/admin/conversations/{sender_id}")
@requires()
async def conversation_page(request: web.Request) -> web.Response:
    ctx = context(request)
    found = conversations.find(ctx.tracker_db, request.match_info["sender_id"])
    if found is None:
        raise web.HTTPNotFound(text="Fant ikke samtalen. Kanskje den er slettet.")
    annotated = annotation.for_messages(ctx.kb.engine, [t.message_id for t in found.turns])
    return _render(
        request,
        "admin_conversation.html",
        conversation=found,
        reasons_by_turn=queue.reasons(found, _votes(request, [found.sender_id])),
        annotated=annotated,
        topic_choices=annotation.TOPIC_CHOICES,
    )


# ---------------------------------------------------------------------- models, export


def _alive(pid: object) -> bool:
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _job_status(settings: Settings) -> dict[str, Any] | None:
    status = retrain.read_status(retrain.status_path(settings))
    if status and status.get("state") == "running" and not _alive(status.get("pid")):
        status["state"] = "failed"
        status["error"] = status.get("error") or "prosessen stoppet uventet"
    return status


def _models_page(request: web.Request, status: int = 200, **values: Any) -> web.Response:
    settings = context(request).settings
    job = _job_status(settings)
    candidate = None
    comparison = None
    if job and job.get("candidate"):
        with contextlib.suppress(registry.RegistryError):
            candidate = registry.find(settings, str(job["candidate"]))
            comparison = retrain.load_comparison(candidate)
    return _render(
        request,
        "admin_models.html",
        status=status,
        models=registry.models(settings),
        history=registry.history(settings)[:20],
        job=job,
        stages=STAGES,
        candidate=candidate,
        comparison=comparison,
        objections=retrain.objections(settings, comparison) if comparison else [],
        candidate_current=candidate is not None
        and candidate.resolve() == registry.active_model(settings).resolve(),
        pending=len(annotation.pending_export(context(request).kb.engine)),
        **values,
    )


@routes.get("/admin/models")
@requires()
async def models_page(request: web.Request) -> web.Response:
    return _models_page(request)


@routes.get("/admin/retrain")
@requires()
async def retrain_page(request: web.Request) -> web.Response:
    job = _job_status(context(request).settings)
    return _render(request, "admin_retrain.html", job=job, stages=STAGES)


@routes.post("/admin/export")
@requires("maintainer")
async def export_examples(request: web.Request) -> web.Response:
    ctx = context(request)
    result = await asyncio.to_thread(export.export, ctx.kb.engine, ctx.settings.root)
    return _models_page(request, notice=result.summary())


@routes.post("/admin/retrain")
@requires("maintainer")
async def start_retrain(request: web.Request) -> web.Response:
    ctx = context(request)
    state = _state(request)
    job = _job_status(ctx.settings)
    if job and job.get("state") == "running":
        return _models_page(request, status=409, error="En trening kjører allerede.")
    path = retrain.status_path(ctx.settings)
    path.unlink(missing_ok=True)
    logs = ctx.settings.var_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / "retrain.log").open("ab") as log:
        state.job = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "retrain",
            "--no-promote",
            "--by",
            _login(request).user.name,
            "--status-file",
            str(path),
            cwd=ctx.settings.root,
            env=dict(os.environ) | ctx.settings.child_env(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # so that stopping it stops `rasa train` too
        )
    retrain.write_status(path, state="running", stage="starting", pid=state.job.pid)
    return web.Response(status=303, headers={"Location": "/admin/retrain"})


async def _stop_job(state: AdminState) -> None:
    job = state.job
    if job is None or job.returncode is not None:
        return
    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 2.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(job.pid, sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.wait(), wait)
            return


@routes.post("/admin/promote")
@requires("maintainer")
async def promote(request: web.Request) -> web.Response:
    settings = context(request).settings
    form = await request.post()
    force = form.get("force") == "yes"
    try:
        model = registry.find(settings, str(form.get("model", "")))
    except registry.RegistryError as exc:
        return _models_page(request, status=404, error=str(exc))
    objections = retrain.objections(settings, retrain.load_comparison(model))
    if objections and not force:
        return _models_page(
            request,
            status=409,
            error="Kandidaten ble ikke tatt i bruk: " + "; ".join(objections),
        )
    registry.promote(settings, model, _login(request).user.name, bool(objections), objections)
    return await _reload(request, model, f"{model.name} er nå gjeldende modell.")


@routes.post("/admin/rollback")
@requires("maintainer")
async def rollback(request: web.Request) -> web.Response:
    settings = context(request).settings
    try:
        model = registry.rollback(settings, _login(request).user.name)
    except registry.RegistryError as exc:
        return _models_page(request, status=409, error=str(exc))
    return await _reload(request, model, f"Rullet tilbake: {model.name} er gjeldende modell.")


async def _reload(request: web.Request, model: Path, notice: str) -> web.Response:
    try:
        result = await asyncio.to_thread(
            registry.load_into_engine, context(request).settings, model
        )
    except registry.RegistryError as exc:
        return _models_page(request, status=502, error=f"{notice} Men: {exc}")
    return _models_page(request, notice=f"{notice} ({result})")


# Registered last: any other /admin path needs a login too, and is then not found.
@routes.route("*", "/admin/{tail:.*}")
@requires()
async def unknown(request: web.Request) -> web.Response:
    raise web.HTTPNotFound(text="Fant ikke siden.")
