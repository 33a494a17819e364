"""`landsby` — run, load, train, evaluate and maintain the assistant. See `landsby --help`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence

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
        model = training.train(settings)
        report = evaluation.evaluate(settings, model, args.test_file, compare=args.compare)
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
    from bot.supervisor import children

    model = training.train(settings)
    engine = next(c for c in children(settings, model) if c.name == "engine")
    os.chdir(settings.root)
    os.execve(engine.argv[0], engine.argv, engine.env)


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
    add("actions", _actions, "run the action server alone (127.0.0.1, token required)")
    add("engine", _engine, "run the dialogue engine (Rasa) alone on the current model")

    kb = sub.add_parser("kb", help="knowledge base: validate and load data/kb/*.yml")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    load = kb_sub.add_parser("load", help="validate the articles and load them into the database")
    load.set_defaults(func=_kb_load, check=False)
    check = kb_sub.add_parser("validate", help="validate the articles without loading them")
    check.set_defaults(func=_kb_load, check=True)

    train = add("train", _train, "train the dialogue model if its training data changed")
    train.add_argument("--force", action="store_true", help="train even if the model is current")

    evaluate = add("evaluate", _evaluate, "evaluate the current model on the held-out set")
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
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    result: int = args.func(settings, args)
    return result
