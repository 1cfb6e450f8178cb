"""A throwaway PostgreSQL 15 server on 127.0.0.1 for the history tests: initdb into a temp folder,
pg_ctl start on a free port, trust auth on the loopback only. As root, the server runs as the
`postgres` system user (or `nobody`), since PostgreSQL refuses to run as root."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> str | None:
    """None when a server can be started, else why not."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL 15 binaries not found: {PG_BIN / tool} is missing"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root and runuser is missing: cannot start PostgreSQL as another user"
    return None


def _service_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _run(cmd: list[str], user: str | None) -> None:
    full = ["runuser", "-u", user, "--", *cmd] if user else cmd
    subprocess.run(full, check=True, capture_output=True, timeout=60)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a postgresql:// URL of a fresh server; stop it and delete its files afterwards."""
    user = _service_user()
    base = Path(tempfile.mkdtemp(prefix="iamfence-pg-"))
    data = base / "data"
    if user:
        entry = pwd.getpwnam(user)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    os.chmod(base, 0o700)
    port = free_port()
    try:
        _run(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", "iamfence", "-A", "trust", "--no-sync"],
            user,
        )
        opts = f"-h 127.0.0.1 -p {port} -k {base} -F"
        _run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(base / "log"),
                "-w",
                "-t",
                "30",
                "start",
            ],
            user,
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                probe = subprocess.run(
                    [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                    capture_output=True,
                    check=False,
                )
                if probe.returncode == 0:
                    break
                time.sleep(0.2)
            yield f"postgresql://iamfence@127.0.0.1:{port}/postgres"
        finally:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], user)
    finally:
        shutil.rmtree(base, ignore_errors=True)
