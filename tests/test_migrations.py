"""Migrations: the chain goes up, down and up again with data in the tables, on both
backends, and the ORM models agree with what the migrations build."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tracker import db
from tracker.models import Actor, Base


def test_models_match_migrations(db_url):
    engine = db.make_engine(db_url, cache=False)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": db.include_object, "compare_type": True}
        )
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_upgrade_downgrade_upgrade_with_data(fresh_db_url):
    engine = db.make_engine(fresh_db_url, cache=False)
    db.upgrade(engine)
    with Session(engine) as s:
        s.add(Actor(slug="anthropic", name="Anthropic", kind="ai_lab"))
        s.commit()
    db.downgrade(engine, "base")
    assert set(db.table_names(engine)) <= {"alembic_version"}
    assert db.current_revision(engine) is None
    db.upgrade(engine)
    with Session(engine) as s:
        assert s.scalars(select(Actor)).all() == []
        s.add(Actor(slug="anthropic", name="Anthropic", kind="ai_lab"))
        s.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM actors")).scalar() == 1
    assert db.current_revision(engine) == db.head_revision(engine)
    engine.dispose()
