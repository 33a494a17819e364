"""Rasa's SQL tracker store, configured by one SQLAlchemy URL.

`endpoints.yml` passes `url: ${LANDSBY_TRACKER_DB_URL}`; Rasa hands a custom store's
`url` over as `host`.
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine.url import make_url


class LandsbyTrackerStore(SQLTrackerStore):
    """SQL tracker store whose connection is given as a URL (SQLite or PostgreSQL)."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        if not host:
            raise ValueError("tracker_store: url is required")
        url = make_url(host)
        super().__init__(
            domain=domain,
            # The app environment names its driver ("postgresql+psycopg"); Rasa's
            # SQLAlchemy 1.4 uses the dialect's default driver (psycopg2) here.
            dialect=url.get_backend_name(),
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
            **kwargs,
        )
