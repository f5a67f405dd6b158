"""One ingest at a time per SQLite database: an advisory file lock beside the database file.

An OS lock (flock) is released by the kernel when its process dies, even by SIGKILL, so a
crashed run never leaves a stale lock behind. PostgreSQL needs no global lock: workers
claim feeds row by row (see run.py), so this is a no-op there.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import LockedError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock available
    fcntl = None  # type: ignore[assignment]


def lock_path(engine: Engine) -> Path | None:
    """The lock file for an engine, or None when no lock is needed (PostgreSQL, :memory:)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database).expanduser().resolve()
    return path.with_name(f".{path.name}.ingest.lock")  # hidden: folder ingests skip it


@contextlib.contextmanager
def ingest_lock(engine: Engine, *, wait: bool = False, poll: float = 0.25) -> Iterator[None]:
    """Hold the ingest lock for this database; LockedError at once unless wait=True."""
    path = lock_path(engine)
    if path is None or fcntl is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    holder = _holder(fd)
                    raise LockedError(
                        f"another ingest is running on this database{holder}; "
                        "try again later or pass --wait"
                    ) from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
