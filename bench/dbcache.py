"""Where generated databases live: cached SQLite files and PostgreSQL schemas, built once
under a lock, and throwaway empty databases for benchmarks that write."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.harness import SCALES, Context

PG_LOCK = 7_310_426  # advisory lock id (+ the scale's position): one build per scale at a time
# load(url, engine or None) -> rows per table: fills an empty migrated database
Load = Callable[[str, Any], dict[str, int]]


@contextlib.contextmanager
def lock(folder: Path, name: str) -> Iterator[None]:
    """An exclusive lock between processes (a flock on folder/name.lock)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _meta_rows(ctx: Context, key: str, counts: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("cache_key", key),
        ("scale", ctx.scale),
        ("seed", str(ctx.seed)),
        ("counts", json.dumps(counts, sort_keys=True)),
    ]


def read_key_sqlite(path: Path) -> str | None:
    """The bench cache key stored in a SQLite file; "" when the file is not a bench build."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM bench_meta WHERE key = 'cache_key'").fetchone()
    except sqlite3.Error:
        return ""
    finally:
        conn.close()
    return row[0] if row else ""


def _build_sqlite(ctx: Context, target: Path, key: str, load: Load) -> None:
    from tracker import db

    tmp = target.with_name(f".build-{os.getpid()}-{target.name}")
    tmp.unlink(missing_ok=True)
    try:
        engine = db.make_engine(f"sqlite:///{tmp}", cache=False)
        db.upgrade(engine)
        engine.dispose()
        counts = load(f"sqlite:///{tmp}", None)
        import sqlite3

        conn = sqlite3.connect(tmp)
        with conn:
            conn.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.executemany("INSERT INTO bench_meta VALUES (?, ?)", _meta_rows(ctx, key, counts))
        conn.close()
        os.replace(tmp, target)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _set_key_sqlite(path: Path, key: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE bench_meta SET value = ? WHERE key = 'cache_key'", (key,))
    conn.close()


def _upgrade_sqlite(ctx: Context, target: Path, key: str, older: list[str]) -> bool:
    """Migrate a copy of a cached build that predates the newest migrations to head and
    cache it as target; False when there is none. The old file stays intact until the
    copy is complete (a killed upgrade leaves only a temporary file)."""
    import shutil

    from tracker import db

    for old_key in older:
        old = ctx.cache_dir / f"sqlite-{ctx.scale}-{old_key}.db"
        if not old.exists():
            continue
        ctx.log(f"migrating the cached {ctx.scale} SQLite database {old.name} to head")
        tmp = target.with_name(f".build-{os.getpid()}-{target.name}")
        try:
            shutil.copyfile(old, tmp)
            engine = db.make_engine(f"sqlite:///{tmp}", cache=False)
            db.upgrade(engine)
            engine.dispose()
            _set_key_sqlite(tmp, key)
            os.replace(tmp, target)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        return True
    return False


def sqlite_database(ctx: Context, key: str, load: Load, older: list[str] | None = None) -> str:
    """The cached SQLite build for key (built with load on first use, or migrated forward
    from a build under one of the `older` keys)."""
    from tracker.errors import UsageError

    server = ctx.servers.get("sqlite", "")
    if server:
        target = Path(server.removeprefix("sqlite:///")).expanduser()
        found = read_key_sqlite(target) if target.exists() else None
        if found == "":
            raise UsageError(f"{target} is not a benchmark database; refusing to overwrite it")
        if found == key:
            return f"sqlite:///{target}"
    else:
        target = ctx.cache_dir / f"sqlite-{ctx.scale}-{key}.db"
        if target.exists():
            return f"sqlite:///{target}"
    # One lock per scale: a large build (minutes) must not hold up a small one.
    with lock(ctx.cache_dir, f"sqlite-build-{ctx.scale}"):
        if not (target.exists() and read_key_sqlite(target) == key):
            if server or not _upgrade_sqlite(ctx, target, key, older or []):
                ctx.log(
                    f"building the {ctx.scale} SQLite database ({ctx.articles:,} articles) "
                    f"into {target}"
                )
                _build_sqlite(ctx, target, key, load)
            if not server:  # older builds of this scale are stale now
                for old in ctx.cache_dir.glob(f"sqlite-{ctx.scale}-*.db"):
                    if old != target:
                        old.unlink(missing_ok=True)
    return f"sqlite:///{target}"


def pg_schema_url(server: str, schema: str) -> str:
    """The server URL with search_path pinned to one schema."""
    from sqlalchemy.engine import make_url

    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _pg_admin(server: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(server, isolation_level="AUTOCOMMIT")


def _like(name: str) -> str:
    """A LIKE pattern matching exactly name (underscores are wildcards in LIKE)."""
    return name.replace("_", "\\_")


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _schemas(conn, pattern: str) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    rows = conn.execute(
        text("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :p"),
        {"p": pattern},
    )
    return [r[0] for r in rows]


def _upgrade_pg(ctx: Context, conn, server: str, final: str, key: str, older: list[str]) -> bool:  # type: ignore[no-untyped-def]
    """Migrate a cached schema that predates the newest migrations to head and rename it
    to final; False when there is none. A failed upgrade is rolled back (PostgreSQL DDL is
    transactional) and the schema keeps its old name."""
    from sqlalchemy import text

    from tracker import db

    for old_key in older:
        old = f"bench_{ctx.scale}_{old_key}"
        if not _schemas(conn, _like(old)):
            continue
        ctx.log(f"migrating the cached {ctx.scale} PostgreSQL schema {old} to head")
        engine = db.make_engine(pg_schema_url(server, old), cache=False)
        try:
            db.upgrade(engine)
            with engine.begin() as bconn:
                bconn.execute(
                    text("UPDATE bench_meta SET value = :k WHERE key = 'cache_key'"), {"k": key}
                )
            vacuum_analyze(engine)  # as a fresh build ends (dbload.PostgresSink)
        finally:
            engine.dispose()
        conn.execute(text(f'ALTER SCHEMA "{old}" RENAME TO "{final}"'))
        return True
    return False


def vacuum_analyze(engine: Any) -> None:
    """VACUUM ANALYZE every table of the engine's schema (search_path)."""
    from sqlalchemy import text

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.execute(
            text(
                "SELECT relname FROM pg_class WHERE relkind = 'r'"
                " AND relnamespace = current_schema()::regnamespace"
            )
        ).scalars()
        for table in list(tables):
            conn.execute(text(f'VACUUM (ANALYZE) "{table}"'))


def pg_database(ctx: Context, key: str, load: Load, older: list[str] | None = None) -> str:
    """The cached PostgreSQL schema for key (built with load on first use, or migrated
    forward from a schema under one of the `older` keys)."""
    from sqlalchemy import text

    from tracker import db
    from tracker.errors import UsageError

    server = ctx.servers.get("postgresql")
    if not server:
        raise UsageError(
            "no PostgreSQL URL: pass --db postgresql+psycopg://… or set TRACKER_BENCH_DATABASE_URL"
        )
    final = f"bench_{ctx.scale}_{key}"
    admin = _pg_admin(server)
    try:
        with admin.connect() as conn:
            if _schemas(conn, _like(final)):
                return pg_schema_url(server, final)
            lock_id = PG_LOCK + sorted(SCALES).index(ctx.scale)  # a large build takes long
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_id})
            try:
                if not _schemas(conn, _like(final)) and not _upgrade_pg(
                    ctx, conn, server, final, key, older or []
                ):
                    # Left behind by a killed build of this scale (the lock is ours).
                    for old in _schemas(conn, f"bench\\_build\\_{ctx.scale}\\_%"):
                        conn.execute(text(f'DROP SCHEMA "{old}" CASCADE'))
                    build = f"bench_build_{ctx.scale}_{key}"
                    conn.execute(text(f'CREATE SCHEMA "{build}"'))
                    ctx.log(
                        f"building the {ctx.scale} PostgreSQL database ({ctx.articles:,} "
                        f"articles) in schema {final}"
                    )
                    engine = db.make_engine(pg_schema_url(server, build), cache=False)
                    try:
                        db.upgrade(engine)
                        counts = load(pg_schema_url(server, build), engine)
                        with engine.begin() as bconn:
                            bconn.execute(
                                text("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
                            )
                            for k, v in _meta_rows(ctx, key, counts):
                                bconn.execute(
                                    text("INSERT INTO bench_meta VALUES (:k, :v)"), {"k": k, "v": v}
                                )
                    finally:
                        engine.dispose()
                    conn.execute(text(f'ALTER SCHEMA "{build}" RENAME TO "{final}"'))
                    for old in _schemas(conn, f"bench\\_{ctx.scale}\\_%"):
                        if old != final:
                            conn.execute(text(f'DROP SCHEMA "{old}" CASCADE'))
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_id})
    finally:
        admin.dispose()
    return pg_schema_url(server, final)


_WORK: list[tuple[str, str, str]] = []  # (backend, server or path, schema) to drop at exit


def empty_database(ctx: Context, backend: str, name: str) -> str:
    """A fresh database migrated to head, for a benchmark that writes; removed at exit."""
    from sqlalchemy import text

    from tracker import db

    tag = f"{name}_{os.getpid()}".replace("-", "_")
    if backend == "sqlite":
        folder = ctx.cache_dir / "work"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.db*"):  # left behind by a killed run
            if not _alive(old.name.split(".")[0].rsplit("_", 1)[-1]):
                old.unlink(missing_ok=True)
        path = folder / f"{tag}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        _WORK.append(("sqlite", str(path), ""))
    else:
        server = ctx.servers.get("postgresql")
        if not server:
            raise ValueError("no PostgreSQL server configured for this run")
        schema = f"bench_work_{tag}"
        admin = _pg_admin(server)
        with admin.connect() as conn:
            for old in _schemas(conn, "bench\\_work\\_%"):  # left behind by a killed run
                if old == schema or not _alive(old.rsplit("_", 1)[-1]):
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{old}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = pg_schema_url(server, schema)
        _WORK.append(("postgresql", server, schema))
    engine = db.make_engine(url, cache=False)
    db.upgrade(engine)
    engine.dispose()
    return url


@atexit.register
def _drop_work() -> None:
    from sqlalchemy import text

    if _WORK:
        with contextlib.suppress(Exception):
            from tracker import db

            db.dispose_all()  # idle connections would block DROP SCHEMA
    for backend, where, schema in _WORK:
        with contextlib.suppress(Exception):
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{where}{suffix}").unlink(missing_ok=True)
            else:
                admin = _pg_admin(where)
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()
    _WORK.clear()
