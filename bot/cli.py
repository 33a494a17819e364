"""`landsby` — run, load, train, evaluate and maintain the assistant. See `landsby --help`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.config import Settings


def _kb_load(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import make_engine
    from bot.kb import loader

    try:
        if args.check:
            articles = loader.read_articles(settings.kb_dir)
            print(f"{len(articles)} articles are valid")
            return 0
        report = loader.load(make_engine(settings.db_url), settings.kb_dir)
    except loader.KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"{report.loaded} articles loaded; changed: {', '.join(report.changed) or 'none'}; "
        f"removed: {', '.join(report.removed) or 'none'}"
    )
    return 0


def _train(settings: Settings, args: argparse.Namespace) -> int:
    from bot import training

    try:
        model = training.train(settings, force=args.force)
    except training.TrainingFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print(model)
    return 0


def _evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from bot import evaluation, training

    try:
        report = evaluation.evaluate(settings, args.test_file, compare=args.compare)
    except (training.TrainingFailed, evaluation.EvaluationFailed) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _purge(settings: Settings, args: argparse.Namespace) -> int:
    from bot import retention
    from bot.db import create_tables, make_engine

    days = settings.retention_days if args.days is None else args.days
    app_db = make_engine(settings.db_url)
    create_tables(app_db)
    count = retention.purge(app_db, make_engine(settings.tracker_db_url), days)
    print(f"deleted {count} conversations older than {days} days")
    return 0


def _delete_session(settings: Settings, args: argparse.Namespace) -> int:
    from bot import retention
    from bot.db import create_tables, make_engine

    app_db = make_engine(settings.db_url)
    create_tables(app_db)
    events = retention.delete_session(app_db, make_engine(settings.tracker_db_url), args.session_id)
    print(f"deleted session {args.session_id} ({events} stored events)")
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.supervisor import supervise

    return asyncio.run(supervise(settings))


def _web(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.web.app import create_app

    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log=None)
    return 0


def _actions(settings: Settings, args: argparse.Namespace) -> int:
    from bot.actionserver import serve

    serve(settings)
    return 0


def _engine(settings: Settings, args: argparse.Namespace) -> int:
    from bot import training
    from bot.review import registry
    from bot.supervisor import engine_child

    model = registry.current_model(settings) or training.train(settings)
    engine = engine_child(settings, model, settings.engine_port)
    os.chdir(settings.root)
    os.execve(engine.argv[0], engine.argv, engine.env)


def _review_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import create_tables, make_engine
    from bot.review import export

    app_db = make_engine(settings.db_url)
    create_tables(app_db)
    print(export.export(app_db, settings.root).summary())
    return 0


def _who(args: argparse.Namespace) -> str:
    import getpass

    return str(getattr(args, "by", None) or getpass.getuser())


def _promote_checked(
    settings: Settings, model: Path, force: bool, by: str, comparison: object = None
) -> int:
    """Promote when the gate allows it (or `force`), then load the model into the engine."""
    from bot.review import registry, retrain

    if comparison is None:
        comparison = retrain.load_comparison(model)
    assert comparison is None or isinstance(comparison, retrain.Comparison)
    objections = retrain.objections(settings, comparison)
    if objections and not force:
        print(f"not promoted: {'; '.join(objections)} (--force to override)", file=sys.stderr)
        return REFUSED
    registry.promote(settings, model, by, forced=bool(objections), reasons=objections)
    print(f"promoted {model.name}" + (" (forced)" if objections else ""))
    try:
        print(registry.load_into_engine(settings, model))
    except registry.RegistryError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


REFUSED = 3


def _retrain(settings: Settings, args: argparse.Namespace) -> int:
    from bot import evaluation, training
    from bot.review import registry, retrain

    status = Path(args.status_file) if args.status_file else None

    def progress(stage: str, **fields: object) -> None:
        print(f"retrain: {stage}", flush=True)
        if status is not None:
            retrain.write_status(status, state="running", stage=stage, pid=os.getpid(), **fields)

    progress("starting", by=_who(args))
    try:
        candidate, comparison = retrain.retrain(
            settings,
            max_topic_drop=args.max_topic_drop,
            test_file=args.test_file,
            progress=progress,
        )
    except (training.TrainingFailed, retrain.RetrainFailed, evaluation.EvaluationFailed) as exc:
        if status is not None:
            retrain.write_status(status, state="failed", error=str(exc))
        print(exc, file=sys.stderr)
        return 1
    print(comparison.report())
    print(f"candidate: {candidate}\ncomparison: {registry.sidecar(candidate, 'comparison')}")
    if status is not None:
        retrain.write_status(
            status,
            state="done",
            stage="done",
            candidate=candidate.name,
            passed=comparison.gate.passed,
        )
    if args.no_promote:
        return 0
    return _promote_checked(settings, candidate, args.force, _who(args), comparison)


def _promote(settings: Settings, args: argparse.Namespace) -> int:
    from bot.review import registry

    try:
        model = registry.find(settings, args.model)
    except registry.RegistryError as exc:
        print(exc, file=sys.stderr)
        return 1
    return _promote_checked(settings, model, args.force, _who(args))


def _models(settings: Settings, args: argparse.Namespace) -> int:
    from bot.review import registry

    for info in registry.models(settings):
        mark = "*" if info.current else " "
        promoted = "  promoted" if info.promoted else ""
        print(f"{mark} {info.name:<58} {info.created:%Y-%m-%d %H:%M}  {info.summary}{promoted}")
    return 0


def _rollback(settings: Settings, args: argparse.Namespace) -> int:
    from bot.review import registry

    try:
        model = registry.rollback(settings, _who(args))
        print(f"current model: {model.name}")
        print(registry.load_into_engine(settings, model))
    except registry.RegistryError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _read_password(args: argparse.Namespace) -> str | None:
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("the passwords differ", file=sys.stderr)
        return None
    return first


def _user(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db import create_tables, make_engine
    from bot.review.users import AccountError, Accounts

    app_db = make_engine(settings.db_url)
    create_tables(app_db)
    accounts = Accounts(app_db)
    if args.user_command == "list":
        for user in accounts.users():
            print(f"{user.name}\t{user.role}")
        return 0
    if args.user_command == "remove":
        if not accounts.remove(args.name):
            print(f"no user {args.name}", file=sys.stderr)
            return 1
        print(f"removed {args.name} and their sessions")
        return 0
    password = _read_password(args)
    if password is None:
        return 1
    try:
        user = accounts.add(args.name, password, args.role)
    except AccountError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"added {user.name} ({user.role})")
    return 0


Command = Callable[[Settings, argparse.Namespace], int]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="landsby",
        description="Landsby: a chat assistant for parents whose children live in foster care.",
        epilog="Configuration comes from LANDSBY_* environment variables (see README.md).",
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Command, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    add("run", _run, "load the knowledge base, train if needed, start every component")
    add("web", _web, "run the web app alone (expects the engine and action server)")
    add("actions", _actions, "run the action server alone (LANDSBY_INTERNAL_HOST, token required)")
    add("engine", _engine, "run the dialogue engine (Rasa) alone on the current model")

    kb = sub.add_parser("kb", help="knowledge base: validate and load data/kb/*.yml")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    load = kb_sub.add_parser("load", help="validate the articles and load them into the database")
    load.set_defaults(func=_kb_load, check=False)
    check = kb_sub.add_parser("validate", help="validate the articles without loading them")
    check.set_defaults(func=_kb_load, check=True)

    train = add("train", _train, "train the dialogue model if its training data changed")
    train.add_argument("--force", action="store_true", help="train even if the model is current")

    evaluate = add("evaluate", _evaluate, "train on the training data and score the held-out set")
    evaluate.add_argument(
        "--test-file", default="tests/nlu/heldout.yml", help="held-out NLU data (never trained on)"
    )
    evaluate.add_argument(
        "--compare",
        action="store_true",
        help="also train and score Rasa's default pipeline and a TF-IDF baseline",
    )

    purge = add("purge", _purge, "delete conversations older than the retention period")
    purge.add_argument(
        "--days", type=int, default=None, help="override LANDSBY_RETENTION_DAYS (default 30)"
    )
    delete = add("delete-session", _delete_session, "delete everything stored for one session")
    delete.add_argument("session_id")

    review = sub.add_parser("review", help="reviewed conversations: export them as training data")
    review_sub = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    review_sub.add_parser(
        "export",
        help="write approved examples to data/nlu/reviewed/<yyyy-mm>.yml",
        description="Write approved review examples to data/nlu/reviewed/<yyyy-mm>.yml with "
        "provenance; skips duplicates of training or held-out data, personal data and crises.",
    ).set_defaults(func=_review_export)

    retrain = add(
        "retrain",
        _retrain,
        "train a candidate model, compare it with the current one, promote it if not worse",
    )
    retrain.epilog = (
        "Exit status: 0 promoted (or compared, with --no-promote), 1 failed, 3 refused."
    )
    retrain.add_argument(
        "--max-topic-drop",
        type=float,
        default=0.10,
        help="refuse when any topic's F1 drops by more than this (default 0.10)",
    )
    retrain.add_argument("--force", action="store_true", help="promote even if the gate refuses")
    retrain.add_argument("--no-promote", action="store_true", help="compare only")
    retrain.add_argument("--test-file", default="tests/nlu/heldout.yml", help="held-out NLU data")
    retrain.add_argument("--by", help="who asked, for the promotion history (default: $USER)")
    retrain.add_argument("--status-file", help=argparse.SUPPRESS)

    promote = add("promote", _promote, "make a compared candidate the current model")
    promote.add_argument("model", help="a model as `landsby models` lists it")
    promote.add_argument("--force", action="store_true", help="promote even if the gate refuses")
    add("models", _models, "list the kept models (* marks the current one)")
    rollback = add("rollback", _rollback, "make the previously promoted model current again")
    for p in (promote, rollback):
        p.add_argument("--by", help="who asked, for the promotion history (default: $USER)")

    user = sub.add_parser("user", help="accounts for /admin")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    user_add = user_sub.add_parser("add", help="add an account (asks for the password)")
    user_add.add_argument("name")
    user_add.add_argument(
        "--role",
        choices=("maintainer", "reader"),
        required=True,
        help="readers look; maintainers also annotate, export, retrain and promote",
    )
    user_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    user_remove = user_sub.add_parser("remove", help="remove an account and its sessions")
    user_remove.add_argument("name")
    user_sub.add_parser("list", help="list the accounts")
    user.set_defaults(func=_user)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    result: int = args.func(settings, args)
    return result
