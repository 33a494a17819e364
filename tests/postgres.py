"""Throw-away PostgreSQL servers for tests (Debian's postgresql package).

Each listens on a Unix socket only, in a temporary directory; tests may stop and start it
to simulate a database outage. `scripts/test-deps.sh` installs the package where missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.processes import free_port


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return found[-1].parent


class PostgresServer:
    def __init__(self, root: Path, database: str) -> None:
        self.bin_dir = _bin_dir()
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.port = free_port()
        self.database = database
        # The server refuses to run as root.
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return (
            f"postgresql+psycopg://postgres@/{self.database}"
            f"?host={self.socket_dir}&port={self.port}"
        )

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin_dir / tool), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            check=check,
        )

    def create(self) -> None:
        self.socket_dir.mkdir()
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self._run(
            "createdb",
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            self.database,
        )

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.root / "server.log"),
            "-o",
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)


@contextlib.contextmanager
def temporary_postgres(database: str = "landsby") -> Iterator[PostgresServer]:
    """A running server with an empty `database`, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="landsby-pg-"))
    root.chmod(0o755)
    server = PostgresServer(root, database)
    try:
        server.create()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
