"""A throw-away PostgreSQL server for tests (Debian's postgresql package).

Listens on a Unix socket only, in a temporary directory, and is stopped afterwards.
`scripts/test-deps.sh` installs the package where it is missing.
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


@contextlib.contextmanager
def temporary_postgres(database: str = "landsby") -> Iterator[str]:
    """Start a server; yield a SQLAlchemy URL for `database` on it."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="landsby-pg-"))
    root.chmod(0o755)
    data, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT, "check": True}
    try:
        subprocess.run(
            [
                *as_postgres,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            **quiet,  # type: ignore[arg-type]
        )
        subprocess.run(
            [
                *as_postgres,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(root / "server.log"),
                "-o",
                f"-k {socket_dir} -p {port} -c listen_addresses='' -c fsync=off",
                "start",
            ],
            **quiet,  # type: ignore[arg-type]
        )
        subprocess.run(
            [
                *as_postgres,
                str(bin_dir / "createdb"),
                "-h",
                str(socket_dir),
                "-p",
                str(port),
                "-U",
                "postgres",
                database,
            ],
            **quiet,  # type: ignore[arg-type]
        )
        yield f"postgresql+psycopg://postgres@/{database}?host={socket_dir}&port={port}"
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
