"""Engines and sessions: SQLite pragmas, PostgreSQL parity, schema upgrades through Alembic."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker import config
from tracker.errors import DatabaseError, UsageError

if TYPE_CHECKING:
    from alembic.config import Config

_ENGINES: dict[str, Engine] = {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "sqlite"


def make_engine(url: str | None = None, *, cache: bool = True) -> Engine:
    """An engine for URL (see config.database_url); SQLite gets WAL and foreign keys."""
    url = config.database_url(url)
    if cache and url in _ENGINES:
        return _ENGINES[url]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(f"not a database URL: {url!r}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        # the driver tracker installs (psycopg 3), not SQLAlchemy's default psycopg2
        parsed = parsed.set(drivername="postgresql+psycopg")
        url = parsed.render_as_string(hide_password=False)
        if cache and url in _ENGINES:
            return _ENGINES[url]
    kwargs: dict[str, object] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            try:
                Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create the database folder for {db}: {exc.strerror}") from None
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if cache:
        _ENGINES[url] = engine
    return engine


def dispose_all() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


@contextlib.contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Tables and indexes that hand-written migrations manage and the ORM does not describe
# (full-text search structures); Alembic's comparison skips them.
UNMODELLED_PREFIXES = ("fts_", "search_fts", "ix_fts_")


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Alembic include_object hook shared by migrations/env.py and the models-vs-migrations test."""
    return not (type_ in ("table", "index") and name and name.startswith(UNMODELLED_PREFIXES))


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(config.migrations_dir()))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema through Alembic (the only way tracker creates tables)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise DatabaseError(f"cannot migrate the database: {exc.orig}") from None


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def ensure_schema(engine: Engine, *, create: bool = True) -> None:
    """Make sure the schema is at head: upgrade it (create=True) or fail with a clear message."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database: {str(exc.orig).strip()}") from None
    if current == head_revision(engine):
        return
    if not create:
        if current is None:
            raise DatabaseError("the database has no tracker schema; run `tracker init` first")
        raise DatabaseError("the database schema is out of date; run `tracker init` to upgrade it")
    upgrade(engine)


def open_database(url: str | None = None, *, create: bool = True) -> Engine:
    """The engine for URL with its schema at head (created on first use by default)."""
    engine = make_engine(url)
    ensure_schema(engine, create=create)
    return engine


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
