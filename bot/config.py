"""Settings from `LANDSBY_*` environment variables (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret(var_dir: Path, name: str) -> str:
    """Read a generated secret from `var/secrets/`, creating it (mode 0600) on first use.

    Secrets never live in the repository; a deployment may instead pass them in the
    environment, which takes precedence.
    """
    path = var_dir / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Landsby installation."""

    root: Path = PROJECT_ROOT
    var_dir: Path = PROJECT_ROOT / "var"
    host: str = "127.0.0.1"
    port: int = 8000
    db_url: str = ""
    tracker_db_url: str = ""
    engine_port: int = 5005
    action_port: int = 5055
    # Scale-out: N engine processes (ports engine_port, engine_port+1, ...) sharing one
    # Redis lock store, or engines elsewhere (LANDSBY_ENGINE_URLS, e.g. in Kubernetes).
    engine_replicas: int = 1
    engine_endpoints: tuple[str, ...] = ()
    action_endpoint: str = ""
    lock_store_url: str = ""
    internal_host: str = "127.0.0.1"
    engine_token: str = field(default="", repr=False)
    action_token: str = field(default="", repr=False)
    admin_password: str = field(default="", repr=False)
    retention_days: int = 30
    max_message_chars: int = 2000
    rate_per_minute: int = 20
    engine_timeout_s: float = 15.0
    log_level: str = "INFO"
    cors_origins: tuple[str, ...] = ()

    @property
    def engine_urls(self) -> tuple[str, ...]:
        """Every engine replica the web app spreads messages over."""
        if self.engine_endpoints:
            return self.engine_endpoints
        return tuple(
            f"http://127.0.0.1:{self.engine_port + i}" for i in range(self.engine_replicas)
        )

    @property
    def engine_url(self) -> str:
        """The first engine replica (the only one on a default single machine)."""
        return self.engine_urls[0]

    @property
    def action_url(self) -> str:
        return self.action_endpoint or f"http://127.0.0.1:{self.action_port}"

    def child_env(self) -> dict[str, str]:
        """These settings as `LANDSBY_*` variables, for the processes Landsby starts."""
        return {
            "LANDSBY_VAR_DIR": str(self.var_dir),
            "LANDSBY_DB_URL": self.db_url,
            "LANDSBY_TRACKER_DB_URL": self.tracker_db_url,
            "LANDSBY_ENGINE_PORT": str(self.engine_port),
            "LANDSBY_ENGINE_REPLICAS": str(self.engine_replicas),
            "LANDSBY_ENGINE_URLS": ",".join(self.engine_endpoints),
            "LANDSBY_ACTION_PORT": str(self.action_port),
            "LANDSBY_ACTION_URL": self.action_url,
            "LANDSBY_LOCK_STORE_URL": self.lock_store_url or "memory://",
            "LANDSBY_INTERNAL_HOST": self.internal_host,
            "LANDSBY_ENGINE_TOKEN": self.engine_token,
            "LANDSBY_ACTION_TOKEN": self.action_token,
        }

    @property
    def models_dir(self) -> Path:
        return self.var_dir / "models"

    @property
    def kb_dir(self) -> Path:
        return self.root / "data" / "kb"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from the environment, filling defaults for a single machine."""
        env = os.environ if env is None else env
        var_dir = Path(env.get("LANDSBY_VAR_DIR", str(PROJECT_ROOT / "var"))).resolve()
        var_dir.mkdir(parents=True, exist_ok=True)

        def secret(var: str, name: str) -> str:
            return env.get(var) or _secret(var_dir, name)

        replicas = int(env.get("LANDSBY_ENGINE_REPLICAS", "1"))
        endpoints = _urls(env.get("LANDSBY_ENGINE_URLS", ""))
        lock_store_url = env.get("LANDSBY_LOCK_STORE_URL", "").strip()
        if replicas < 1:
            raise ValueError("LANDSBY_ENGINE_REPLICAS must be 1 or more")
        if max(replicas, len(endpoints)) > 1 and not lock_store_url.startswith(
            ("redis://", "rediss://")
        ):
            raise ValueError(
                "more than one engine needs a shared lock store: set LANDSBY_LOCK_STORE_URL "
                "to redis://host:6379/0 (an in-memory lock only guards one process)"
            )
        return cls(
            var_dir=var_dir,
            host=env.get("LANDSBY_HOST", "127.0.0.1"),
            port=int(env.get("LANDSBY_PORT", "8000")),
            db_url=env.get("LANDSBY_DB_URL", f"sqlite:///{var_dir / 'landsby.db'}"),
            tracker_db_url=env.get("LANDSBY_TRACKER_DB_URL", f"sqlite:///{var_dir / 'tracker.db'}"),
            engine_port=int(env.get("LANDSBY_ENGINE_PORT", "5005")),
            action_port=int(env.get("LANDSBY_ACTION_PORT", "5055")),
            engine_replicas=replicas,
            engine_endpoints=endpoints,
            action_endpoint=env.get("LANDSBY_ACTION_URL", "").strip().rstrip("/"),
            lock_store_url=lock_store_url,
            internal_host=env.get("LANDSBY_INTERNAL_HOST", "127.0.0.1"),
            engine_token=secret("LANDSBY_ENGINE_TOKEN", "engine_token"),
            action_token=secret("LANDSBY_ACTION_TOKEN", "action_token"),
            admin_password=env.get("LANDSBY_ADMIN_PASSWORD", ""),
            retention_days=int(env.get("LANDSBY_RETENTION_DAYS", "30")),
            max_message_chars=int(env.get("LANDSBY_MAX_MESSAGE_CHARS", "2000")),
            rate_per_minute=int(env.get("LANDSBY_RATE_PER_MINUTE", "20")),
            engine_timeout_s=float(env.get("LANDSBY_ENGINE_TIMEOUT", "15")),
            log_level=env.get("LANDSBY_LOG_LEVEL", "INFO"),
            cors_origins=_urls(env.get("LANDSBY_CORS_ORIGINS", "")),
        )


def _urls(value: str) -> tuple[str, ...]:
    """A comma-separated list of URLs or origins, without trailing slashes."""
    return tuple(item.strip().rstrip("/") for item in value.split(",") if item.strip())
