"""Sinks for generated rows: bulk loaders for SQLite (executemany) and PostgreSQL (COPY),
and a hashing sink that fingerprints the data set without a database."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from bench.corpus import EPOCH

Log = Callable[[str], None]


class Columns:
    """Fits generated columns to the table as the models define it today.

    Columns the model no longer has are dropped, and NOT NULL columns the generator does not
    know get the model's default (a fixed timestamp for `utcnow`-style defaults), so another
    area adding a column does not break the benchmarks.
    """

    def __init__(self, table: str, columns: tuple[str, ...], log: Log) -> None:
        from sqlalchemy import DateTime

        from tracker.models import Base

        t = Base.metadata.tables.get(table)
        self.skip = t is None
        if t is None:
            log(f"table {table} is not in the models any more; not generated")
            return
        self.keep = [i for i, c in enumerate(columns) if c in t.c]
        dropped = [c for c in columns if c not in t.c]
        if dropped:
            log(f"{table}: the models have no column {', '.join(dropped)}; left out")
        extra_names, extra_values = [], []
        for col in t.c:
            if col.name in columns or col.server_default is not None:
                continue
            default = col.default
            if default is not None and getattr(default, "is_scalar", False):
                value: Any = default.arg  # type: ignore[attr-defined]
            elif default is not None and isinstance(col.type, DateTime):
                value = EPOCH
            elif col.nullable or col.primary_key:
                continue
            else:
                raise RuntimeError(
                    f"bench generator does not fill the new column {table}.{col.name}"
                    " (NOT NULL, no default): add it to bench/dbrows.py"
                )
            extra_names.append(col.name)
            extra_values.append(value)
        self.names = tuple(columns[i] for i in self.keep) + tuple(extra_names)
        self.extra = tuple(extra_values)
        self.identity = self.keep == list(range(len(columns))) and not self.extra

    def fit(self, rows: list[tuple]) -> list[tuple]:
        if self.identity:
            return rows
        keep, extra = self.keep, self.extra
        return [tuple(r[i] for i in keep) + extra for r in rows]


class Sink:
    def __init__(self, log: Log) -> None:
        self.log = log
        self._columns: dict[tuple[str, tuple[str, ...]], Columns] = {}
        self.counts: dict[str, int] = {}

    def fitted(self, table: str, columns: tuple[str, ...]) -> Columns:
        key = (table, columns)
        if key not in self._columns:
            self._columns[key] = Columns(table, columns, self.log)
        return self._columns[key]

    def load(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        cols = self.fitted(table, columns)
        if cols.skip:
            return
        self.write(table, cols.names, cols.fit(rows))
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def write(self, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class HashSink(Sink):
    """Fingerprints the generated rows (as generated, before fitting to the models)."""

    def __init__(self) -> None:
        super().__init__(lambda _m: None)
        self.digest = hashlib.sha256()

    def load(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        self.digest.update(f"{table}|{','.join(columns)}\n".encode())
        for row in rows:
            self.digest.update(repr(row).encode())
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class SqliteSink(Sink):
    """One big transaction, no journal (the file is a temporary build that is renamed into
    the cache only when complete), then back to WAL like a normal tracker database."""

    def __init__(self, path: str, log: Log) -> None:
        super().__init__(log)
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-262144",
            "temp_store=MEMORY",
            "foreign_keys=OFF",
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("BEGIN")

    def write(self, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        self.conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)

    def finish(self) -> None:
        self.conn.execute("COMMIT")
        problems = self.conn.execute("PRAGMA foreign_key_check").fetchmany(5)
        if problems:
            raise RuntimeError(f"generated rows break foreign keys: {problems}")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


class PostgresSink(Sink):
    """COPY into each table, then move the id sequences past the explicit ids and VACUUM
    ANALYZE (what autovacuum would do on a live server).

    A bulk load, as pg_restore does it: secondary indexes (and unique constraints no foreign
    key needs) are dropped first and built once at the end, and foreign-key checks are off
    during the load (session_replication_role = replica; the same rows pass SQLite's
    foreign_key_check). The schema's own triggers (the full-text sync) still fire for
    every row, so the search tables are filled exactly as the migrations define them.
    """

    def __init__(self, engine: Any, log: Log) -> None:
        super().__init__(log)
        self.raw = engine.raw_connection()
        self.conn = self.raw.driver_connection
        self.tables: list[str] = []
        with self.conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            self.indexes = self._drop_indexes(cur)
            self.triggers = self._fire_always(cur)
            cur.execute("SET session_replication_role = replica")

    @staticmethod
    def _drop_indexes(cur: Any) -> list[str]:
        """Drop the schema's secondary indexes; returns the statements that rebuild them."""
        cur.execute(
            """SELECT c.relname, pg_get_indexdef(c.oid), k.conname, t.relname,
                      pg_get_constraintdef(k.oid)
               FROM pg_index x
               JOIN pg_class c ON c.oid = x.indexrelid
               JOIN pg_class t ON t.oid = x.indrelid
               LEFT JOIN pg_constraint k ON k.conindid = c.oid AND k.conrelid = t.oid
               WHERE t.relnamespace = current_schema()::regnamespace
                 AND NOT x.indisprimary
                 AND (k.oid IS NULL OR k.contype = 'u')
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                                 WHERE f.contype = 'f' AND f.conindid = c.oid)"""
        )
        rebuild = []
        for index, indexdef, constraint, table, condef in cur.fetchall():
            if constraint:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
                rebuild.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {condef}')
            else:
                cur.execute(f'DROP INDEX "{index}"')
                rebuild.append(indexdef)
        return rebuild

    @staticmethod
    def _fire_always(cur: Any) -> list[tuple[str, str]]:
        """The schema's own triggers fire even in replica mode during the load."""
        cur.execute(
            """SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
               WHERE c.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal
                 AND g.tgenabled = 'O'"""
        )
        triggers = [(t, g) for t, g in cur.fetchall()]
        for table, trigger in triggers:
            cur.execute(f'ALTER TABLE "{table}" ENABLE ALWAYS TRIGGER "{trigger}"')
        return triggers

    def write(self, table: str, names: tuple[str, ...], rows: list[tuple]) -> None:
        if table not in self.tables:
            self.tables.append(table)
        cols = ", ".join(f'"{n}"' for n in names)
        with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        started = datetime.now()
        with self.conn.cursor() as cur:
            cur.execute("SET session_replication_role = origin")
            for table, trigger in self.triggers:
                cur.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{trigger}"')
            cur.execute("SET maintenance_work_mem = '512MB'")
            for statement in self.indexes:
                cur.execute(statement)
            cur.execute("RESET maintenance_work_mem")
            for table in self.tables:
                cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (f'"{table}"',))
                seq = cur.fetchone()[0]
                if seq:
                    cur.execute(
                        f'SELECT setval(%s, (SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"),'
                        " false)",
                        (seq,),
                    )
        self.conn.commit()
        secs = (datetime.now() - started).total_seconds()
        self.log(f"  {len(self.indexes)} indexes built ({secs:.0f} s)")
        self.conn.autocommit = True
        # VACUUM too: autovacuum would have run after a load this size (inserts trigger it),
        # and until it does the visibility map is empty, so no index-only scan is possible.
        with self.conn.cursor() as cur:  # this schema's tables only, not the whole database
            cur.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r'"
                " AND relnamespace = current_schema()::regnamespace"
            )
            for (table,) in cur.fetchall():
                cur.execute(f'VACUUM (ANALYZE) "{table}"')
        self.conn.autocommit = False
        self.raw.close()


def load_all(
    batches: Iterable[tuple[str, tuple[str, ...], list[tuple]]],
    sink: Sink,
    log: Log,
    total_articles: int,
) -> dict[str, int]:
    """Feed every batch to the sink, logging progress through the articles."""
    started = datetime.now()
    done = 0
    for table, columns, rows in batches:
        sink.load(table, columns, rows)
        if table == "articles":
            done += len(rows)
            if done % 100_000 == 0 or done == total_articles:
                secs = (datetime.now() - started).total_seconds()
                log(f"  {done:,}/{total_articles:,} articles ({secs:.0f} s)")
    sink.finish()
    return dict(sink.counts)
