"""statements.bulk_insert writes exactly what SQLAlchemy's own executemany writes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select, text

from tracker.legislation import statements
from tracker.legislation.importer import import_billstatus
from tracker.models import Measure, MeasureAction
from tracker.models.legislation import OfficialImport

V3 = Path(__file__).resolve().parent / "fixtures" / "legislation" / "BILLSTATUS-119s9001-v3.xml"


def _stored(session, table, where):
    """Rows as the database holds them, but for id and position (SQLite: with each
    value's storage class)."""
    cols = [c.name for c in table.columns if c.name not in ("id", "position")]
    typed = session.get_bind().dialect.name == "sqlite"
    parts = [f"{c}, typeof({c})" if typed else c for c in cols]
    return session.execute(
        text(f"SELECT {', '.join(parts)} FROM {table.name} WHERE {where} ORDER BY id")
    ).all()


def test_bulk_insert_stores_what_sqlalchemy_stores(session):
    import_billstatus(session, V3)
    mid = session.scalar(select(Measure.id).where(Measure.official_id == "s9001-119"))
    table = MeasureAction.__table__
    rows = [
        {
            "measure_id": mid,
            "position": 100 + i,
            "acted_on": day,
            "acted_on_precision": "day",
            "action_type": "IntroReferral",
            "text": f"Action {i} – “quoted”, 100% done",
            "chamber": chamber,
            "code": code,
            "source_id": None,
        }
        for i, (day, chamber, code) in enumerate(
            [(date(2026, 1, 2), "senate", "10000"), (date(1999, 12, 31), None, None)]
        )
    ]
    dialect = session.get_bind().dialect
    assert statements._insert_plan(dialect, table, tuple(rows[0])) is not None  # the fast path
    session.execute(insert(table), rows)
    statements.bulk_insert(session, table, [{**r, "position": r["position"] + 10} for r in rows])
    ours = _stored(session, table, "position >= 110")
    assert len(ours) == 2
    assert ours == _stored(session, table, "position >= 100 AND position < 110")


def test_bulk_insert_leaves_python_defaults_to_sqlalchemy(session):
    """A row without a column that has a Python-side default (imported_at) takes the
    ordinary path, which fills the default in."""
    import_billstatus(session, V3)
    mid = session.scalar(select(Measure.id).where(Measure.official_id == "samdt3001-119"))
    session.execute(OfficialImport.__table__.delete().where(OfficialImport.measure_id == mid))
    statements.bulk_insert(
        session,
        OfficialImport.__table__,
        [
            {
                "measure_id": mid,
                "dataset": "congress-json",
                "source_id": None,
                "path": "x.json",
                "digest": "0" * 64,
                "source_updated_at": datetime(2026, 7, 1, 10, 0),
            }
        ],
    )
    row = session.scalars(select(OfficialImport).where(OfficialImport.measure_id == mid)).one()
    assert row.imported_at is not None and row.source_updated_at == datetime(2026, 7, 1, 10, 0)
    statements.bulk_insert(session, OfficialImport.__table__, [])  # nothing to do
