"""The database layer: engines, pragmas, schema creation through Alembic, migrations."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tracker import db
from tracker.errors import DatabaseError, UsageError


def test_sqlite_has_wal_and_foreign_keys(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}", cache=False)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_default_database_lives_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path / "d"))
    engine = db.open_database()
    assert engine.url.database == str(tmp_path / "d" / "tracker.db")
    assert (tmp_path / "d" / "tracker.db").exists()


def test_bad_url_is_a_usage_error():
    with pytest.raises(UsageError):
        db.make_engine("::not a url::", cache=False)


def test_unknown_dialect_is_a_database_error():
    with pytest.raises(DatabaseError):
        db.make_engine("nosuchdb://x/y", cache=False)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgresql_urls_use_the_installed_driver(scheme):
    """`postgresql://` (SQLAlchemy's default driver is psycopg2, not installed) means the
    psycopg 3 driver tracker ships with; no connection is made here."""
    engine = db.make_engine(f"{scheme}://u:secret@127.0.0.1:5432/x", cache=False)
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    assert engine.url.password == "secret" and engine.url.database == "x"


def test_schema_required_when_not_creating(fresh_db_url):
    engine = db.make_engine(fresh_db_url, cache=False)
    with pytest.raises(DatabaseError, match="tracker init"):
        db.ensure_schema(engine, create=False)
    engine.dispose()


def test_migrations_reach_head(db_url):
    engine = db.make_engine(db_url, cache=False)
    assert db.current_revision(engine) == db.head_revision(engine)
    assert {"actors", "records", "claims", "sources"} <= set(inspect(engine).get_table_names())
    engine.dispose()
