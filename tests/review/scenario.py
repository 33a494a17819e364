"""A fixture tracker store with one conversation per reason a turn needs review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot import feedback
from bot.review import queue
from bot.review.conversations import LOCAL_TZ
from tests.trackers import FakeTracker


def _last_noon() -> float:
    """Today's noon in Norway, or yesterday's before noon: whole hours from any midnight."""
    now = dt.datetime.now(LOCAL_TZ)
    noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon <= now else noon - dt.timedelta(days=1)).timestamp()


NOW = _last_noon()
DAY = 86400.0


@dataclass
class Scenario:
    tracker_db: Engine
    app_db: Engine
    ids: dict[str, str]  # name → message id


def build_scenario(tracker_db: Engine, app_db: Engine) -> Scenario:
    tracker = FakeTracker(tracker_db)
    ids: dict[str, str] = {}

    c = tracker.conversation("s-answered-well-0000000000", NOW - 3 * DAY)
    ids["confident"] = c.user("Hvor ofte kan jeg se barnet mitt?", "samvaer.hyppighet", 0.96)
    c.bot("answer", "samvaer.hyppighet")

    c = tracker.conversation("s-fallback-000000000000000", NOW - 2 * DAY)
    ids["fallback"] = c.user(
        "kan mormor bli med når vi møtes",
        "nlu_fallback",
        0.45,
        ranking=[("samvaer.besteforeldre", 0.31), ("samvaer.gjennomforing", 0.2)],
    )
    c.bot("fallback", None)

    c = tracker.conversation("s-clarify-0000000000000000", NOW - 2 * DAY, lang="nn")
    ids["clarify"] = c.user(
        "kva med sommarferien",
        "nlu_fallback",
        0.45,
        ranking=[("samvaer.endring", 0.22), ("samvaer.plan", 0.2)],
    )
    c.bot("clarify", None)
    ids["button"] = c.user("/samvaer.plan", "samvaer.plan", 1.0)
    c.bot("answer", "samvaer.plan")

    c = tracker.conversation("s-thumbs-down-000000000000", NOW - DAY)
    ids["thumbs_down"] = c.user("Hvem betaler reisen til samvær?", "samvaer.gjennomforing", 0.9)
    c.bot("answer", "samvaer.gjennomforing")
    feedback.record(app_db, "s-thumbs-down-000000000000", "samvaer.gjennomforing", None, "down")

    c = tracker.conversation("s-topic-change-00000000000", NOW - DAY)
    ids["changed"] = c.user("Kan samværet bli oftere?", "samvaer.hyppighet", 0.92)
    c.bot("answer", "samvaer.hyppighet")
    ids["rephrased"] = c.user("Hvordan ber jeg om mer samvær?", "samvaer.endring", 0.93, after=30)
    c.bot("answer", "samvaer.endring")

    c = tracker.conversation("s-low-confidence-000000000", NOW - 3600)
    # below the review queue's cut-off (on the production model's confidence scale)
    ids["low"] = c.user(
        "Hva skjer på et møte i nemnda?", "rettigheter.nemnda", queue.LOW_CONFIDENCE - 0.01
    )
    c.bot("answer", "rettigheter.nemnda")

    c = tracker.conversation("s-crisis-00000000000000000", NOW - 3600)
    ids["crisis"] = c.user(
        "jeg orker ikke mer, jeg vil ikke leve", "nlu_fallback", 0.45, guard="krise.selvmord"
    )
    c.bot("crisis", "krise.selvmord")
    return Scenario(tracker_db, app_db, ids)
