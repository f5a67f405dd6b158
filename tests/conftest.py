"""Shared fixtures: every database test runs on SQLite, and on PostgreSQL when
TRACKER_TEST_DATABASE_URL is set (each test run in its own schema, dropped afterwards)."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pg_url_for_schema(schema: str) -> str:
    """The test server URL with search_path pinned to one schema."""
    from sqlalchemy.engine import make_url

    assert PG_URL
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class _PgSchemas:
    """Creates and drops the PostgreSQL schemas this test run uses."""

    def __init__(self) -> None:
        self.created: list[str] = []
        self._admin = None

    def admin(self):  # type: ignore[no-untyped-def]
        if self._admin is None:
            from sqlalchemy import create_engine

            self._admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        return self._admin

    def create(self, prefix: str = "t") -> str:
        from sqlalchemy import text

        name = f"tracker_{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.admin().connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.admin().connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(name)
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def pg_schemas():
    schemas = _PgSchemas()
    yield schemas
    schemas.close()


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory, pg_schemas):
    """Per backend, a database migrated to head once per test run."""
    from tracker import db

    cache: dict[str, str] = {}

    def get(backend: str) -> str:
        if backend not in cache:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("template") / "template.db"
                url = f"sqlite:///{path}"
            else:
                url = pg_url_for_schema(pg_schemas.create("shared"))
            engine = db.make_engine(url, cache=False)
            db.upgrade(engine)
            engine.dispose()
            cache[backend] = url
        return cache[backend]

    return get


def _truncate_all(url: str) -> None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        names = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in names) + " RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend, _migrated, tmp_path) -> str:
    """A migrated, empty database for this test (SQLite copy or a truncated PG schema)."""
    template = _migrated(backend)
    if backend == "sqlite":
        src = Path(template.removeprefix("sqlite:///"))
        dst = tmp_path / "tracker.db"
        shutil.copyfile(src, dst)
        return f"sqlite:///{dst}"
    _truncate_all(template)
    return template


@pytest.fixture
def fresh_db_url(backend, tmp_path, pg_schemas):
    """An empty database with no schema at all (for migration tests)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    schema = pg_schemas.create("fresh")
    yield pg_url_for_schema(schema)
    from tracker import db

    db.dispose_all()
    pg_schemas.drop(schema)


@pytest.fixture
def engine(db_url):
    from tracker import db

    eng = db.make_engine(db_url, cache=False)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session on the test database; the test decides when to commit."""
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as s:
        yield s
        s.rollback()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test touches the user's data dir or their configured database."""
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRACKER_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
    from tracker import db

    db.dispose_all()


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run the real CLI entry point in-process: cli("show", "alibaba", "--db", url)."""
    from tracker.cli import main

    def run(*args: object) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture
def corpus_dir() -> Path:
    """The shared test-data folder (TRACKER_CORPUS_DIR); tests using it skip when unset."""
    value = os.environ.get("TRACKER_CORPUS_DIR")
    if not value:
        pytest.skip("TRACKER_CORPUS_DIR is not set (shared corpus tests run in CI)")
    path = Path(value)
    if not path.is_dir():
        pytest.skip(f"TRACKER_CORPUS_DIR={value} is not a directory")
    return path
