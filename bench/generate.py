"""Deterministic, seeded benchmark data: a gazetteer, article texts, feed files and whole
databases at the scales in `bench.harness.SCALES`, cached between runs.

The API other benchmark modules call (all deterministic for a given `ctx.seed`):

- `database(ctx, backend) -> url`: a populated knowledge base at `ctx.scale` (SQLite file
  or PostgreSQL schema), built once and cached under bench/.cache (keyed by scale, seed,
  the migrations' contents and the generator's own code). READ-ONLY for benchmarks.
  small: 10k articles, 1k events; medium: 100k / 10k; large: 1M / 100k; always 10k actors
  with >= 40k aliases (all current legislators when TRACKER_CORPUS_DIR is set), several
  Zipf-distributed actor links (with mentions) per article, sources, claims, measures,
  letters, incidents, designations. Ids are 1..n in every table: actor id = index + 1.
- `empty_database(ctx, backend, name) -> url`: a fresh, migrated, empty database for a
  benchmark that writes (ingest); dropped when the process exits.
- `gazetteer(ctx) -> list[GenActor]`: the same actors as the database, with aliases;
  `popular_actors(ctx)`: the same, most-mentioned first (pick hot and quiet actors).
- `search_terms(ctx) -> {"common"|"medium"|"rare"|"topic"|"absent": [words]}`: query
  words with known document frequencies for full-text search benchmarks.
- `article_texts(ctx, n, words=100) -> list[GenArticle]`: ~100-word articles with the
  actors they mention (`.text`, `.mentions` with exact character offsets).
- `feed_files(ctx, n_entries, per_file=100) -> list[Path]`: RSS 2.0 and Atom files holding
  n_entries entries in total (every third file is Atom), cached.
- `real_feed_files(ctx) -> list[Path]`: the real-world feeds in TRACKER_CORPUS_DIR, or [].
- `load_into(ctx, url) -> counts`: the same data loaded into an empty migrated database.
- `dataset_hash(ctx) -> str`: the sha256 of every generated row (the determinism check).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import corpus, dbload, dbrows, feedgen
from bench.corpus import GenActor, GenArticle
from bench.harness import Context

GEN_VERSION = "1"
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LEGISLATORS = Path("congress-legislators") / "legislators-current.yaml"
PG_LOCK = 7_310_426  # advisory lock id: one PostgreSQL build at a time


# --- keys -----------------------------------------------------------------------------------


def _digest(paths: list[Path]) -> str:
    """Fingerprint of Python files' code: comments, docstrings and layout do not count, so
    reformatting a migration or the generator does not throw away a large cached build."""
    import ast

    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        try:
            tree = ast.parse(p.read_bytes())
        except (SyntaxError, ValueError):
            h.update(p.read_bytes())
            continue
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            first = body[0] if isinstance(body, list) and body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                body[0] = ast.Pass()  # type: ignore[index]
        h.update(ast.dump(tree).encode())
    return h.hexdigest()


@functools.cache
def schema_revision() -> str:
    """Fingerprint of the migration chain (the files, since revision ids never change)."""
    return _digest(list((REPO / "migrations" / "versions").glob("*.py")))[:12]


@functools.cache
def generator_revision() -> str:
    files = [HERE / n for n in ("corpus.py", "dbrows.py", "words.py", "feedgen.py")]
    return (GEN_VERSION + _digest(files))[:12]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def legislators_path(ctx: Context) -> Path | None:
    if ctx.corpus_dir and (ctx.corpus_dir / LEGISLATORS).is_file():
        return ctx.corpus_dir / LEGISLATORS
    return None


def cache_key(ctx: Context) -> str:
    """Scale + seed + schema revision + generator code + legislators file."""
    leg = legislators_path(ctx)
    parts = [
        ctx.scale,
        str(ctx.seed),
        schema_revision(),
        generator_revision(),
        _file_digest(leg) if leg else "generated-people",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


# --- pure data ------------------------------------------------------------------------------


@functools.cache
def _gazetteer(seed: int, n: int, leg: str | None) -> tuple[GenActor, ...]:
    people = corpus.load_legislators(Path(leg)) if leg else []
    return tuple(corpus.gazetteer(seed, n, people))


def gazetteer(ctx: Context) -> list[GenActor]:
    """ctx.actors actors (10k from small up) with >= 4 aliases each on average."""
    leg = legislators_path(ctx)
    return list(_gazetteer(ctx.seed, ctx.actors, str(leg) if leg else None))


def popular_actors(ctx: Context) -> list[GenActor]:
    """The gazetteer, most-mentioned first (Zipf-like: the first is in roughly a third of
    all articles, the median one in a handful). Database id = actor.index + 1; pick e.g.
    [0], [len // 100] and [len // 2] for a hot, a busy and a quiet actor."""
    actors = gazetteer(ctx)
    return [actors[i] for i in corpus.Mentioner(actors, ctx.seed).order]


def search_terms(ctx: Context) -> dict[str, list[str]]:
    """Search words by how many generated articles contain them (the same at every scale):
    "common" in 25-75% of articles, "medium" in about 1%, "rare" in about 0.02% (~200 of
    1M), "topic" phrases in about 18% each, "absent" in none."""
    words, _ = corpus.vocabulary(ctx.seed)
    return {
        "common": list(words[0:5]),
        "medium": list(words[100:110]),
        "rare": list(words[3000:3010]),
        "topic": list(corpus.W.TOPICS[:10]),
        "absent": ["zzyzzyvaq", "qwxplormb"],
    }


def article_texts(
    ctx: Context, n: int, *, words: int = 100, start: int = 0, stream: str = "texts"
) -> list[GenArticle]:
    """n articles of about `words` words (linking input); a different stream from the
    database's articles, so they are new text for the gazetteer."""
    return corpus.articles(ctx.seed, gazetteer(ctx), start, n, words=words, stream=stream)


def plan(ctx: Context) -> dbrows.Plan:
    return dbrows.plan_for(ctx.seed, ctx.articles, ctx.events, gazetteer(ctx))


def dataset_hash(ctx: Context) -> str:
    """sha256 over every row `database()` would load at this scale and seed."""
    sink = dbload.HashSink()
    for table, columns, rows in dbrows.dataset(plan(ctx)):
        sink.load(table, columns, rows)
    return sink.hexdigest()


# --- feed files -----------------------------------------------------------------------------


def feed_files(ctx: Context, n_entries: int, *, per_file: int = 100) -> list[Path]:
    """RSS/Atom files holding n_entries generated entries in total (per_file each, every
    third file Atom), written once under bench/.cache/feeds and reused."""
    folder = ctx.cache_dir / "feeds" / f"{ctx.seed}-{generator_revision()}-{n_entries}-{per_file}"
    done = folder / ".complete"
    names = [
        f"feed-{i:05d}.{'atom' if i % 3 == 2 else 'rss'}.xml"
        for i in range((n_entries + per_file - 1) // per_file)
    ]
    if not done.exists():
        with _lock(ctx, "feeds"):
            if not done.exists():
                folder.mkdir(parents=True, exist_ok=True)
                actors = gazetteer(ctx)
                for i, name in enumerate(names):
                    count = min(per_file, n_entries - i * per_file)
                    items = corpus.articles(ctx.seed, actors, i * per_file, count, stream="feeds")
                    write = feedgen.atom if name.endswith(".atom.xml") else feedgen.rss
                    text = write(items, f"Generated wire {i}", f"https://wire{i}.example.org/")
                    (folder / name).write_text(text, encoding="utf-8")
                done.write_text(str(len(names)))
    return [folder / n for n in names]


def real_feed_files(ctx: Context) -> list[Path]:
    """The real-world RSS/Atom/RDF files of the shared corpus (empty without it)."""
    if not ctx.corpus_dir or not (ctx.corpus_dir / "real-feeds").is_dir():
        return []
    return sorted(p for p in (ctx.corpus_dir / "real-feeds").iterdir() if p.is_file())


# --- databases ------------------------------------------------------------------------------


@contextlib.contextmanager
def _lock(ctx: Context, name: str) -> Iterator[None]:
    ctx.cache_dir.mkdir(parents=True, exist_ok=True)
    with (ctx.cache_dir / f"{name}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def load_into(ctx: Context, url: str, engine: Any = None) -> dict[str, int]:
    """Bulk-load the generated knowledge base at ctx.scale into an EMPTY database that is
    already migrated to head (SQLite or PostgreSQL); returns rows per table."""
    from tracker import db

    rows = dbrows.dataset(plan(ctx))
    if url.startswith("sqlite"):
        sink: dbload.Sink = dbload.SqliteSink(url.removeprefix("sqlite:///"), ctx.log)
        return dbload.load_all(rows, sink, ctx.log, ctx.articles)
    own = engine is None
    engine = engine or db.make_engine(url, cache=False)
    try:
        return dbload.load_all(rows, dbload.PostgresSink(engine, ctx.log), ctx.log, ctx.articles)
    finally:
        if own:
            engine.dispose()


def _meta_rows(ctx: Context, counts: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("cache_key", cache_key(ctx)),
        ("scale", ctx.scale),
        ("seed", str(ctx.seed)),
        ("counts", json.dumps(counts, sort_keys=True)),
    ]


def _read_key_sqlite(path: Path) -> str | None:
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


def _build_sqlite(ctx: Context, target: Path) -> None:
    from tracker import db

    tmp = target.with_name(f".build-{os.getpid()}-{target.name}")
    tmp.unlink(missing_ok=True)
    try:
        engine = db.make_engine(f"sqlite:///{tmp}", cache=False)
        db.upgrade(engine)
        engine.dispose()
        counts = load_into(ctx, f"sqlite:///{tmp}")
        import sqlite3

        conn = sqlite3.connect(tmp)
        with conn:
            conn.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.executemany("INSERT INTO bench_meta VALUES (?, ?)", _meta_rows(ctx, counts))
        conn.close()
        os.replace(tmp, target)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _sqlite_database(ctx: Context) -> str:
    from tracker.errors import UsageError

    server = ctx.servers.get("sqlite", "")
    key = cache_key(ctx)
    if server:
        target = Path(server.removeprefix("sqlite:///")).expanduser()
        found = _read_key_sqlite(target) if target.exists() else None
        if found == "":
            raise UsageError(f"{target} is not a benchmark database; refusing to overwrite it")
        if found == key:
            return f"sqlite:///{target}"
    else:
        target = ctx.cache_dir / f"sqlite-{ctx.scale}-{key}.db"
        if target.exists():
            return f"sqlite:///{target}"
    with _lock(ctx, "sqlite-build"):
        if not (target.exists() and _read_key_sqlite(target) == key):
            ctx.log(
                f"building the {ctx.scale} SQLite database ({ctx.articles:,} articles) "
                f"into {target}"
            )
            _build_sqlite(ctx, target)
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


def _pg_database(ctx: Context) -> str:
    from sqlalchemy import text

    from tracker import db
    from tracker.errors import UsageError

    server = ctx.servers.get("postgresql")
    if not server:
        raise UsageError(
            "no PostgreSQL URL: pass --db postgresql+psycopg://… or set TRACKER_BENCH_DATABASE_URL"
        )
    final = f"bench_{ctx.scale}_{cache_key(ctx)}"
    admin = _pg_admin(server)
    try:
        with admin.connect() as conn:
            if _schemas(conn, _like(final)):
                return pg_schema_url(server, final)
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK})
            try:
                if not _schemas(conn, _like(final)):
                    for old in _schemas(conn, "bench\\_build\\_%"):
                        conn.execute(text(f'DROP SCHEMA "{old}" CASCADE'))
                    build = f"bench_build_{cache_key(ctx)}"
                    conn.execute(text(f'CREATE SCHEMA "{build}"'))
                    ctx.log(
                        f"building the {ctx.scale} PostgreSQL database ({ctx.articles:,} "
                        f"articles) in schema {final}"
                    )
                    engine = db.make_engine(pg_schema_url(server, build), cache=False)
                    try:
                        db.upgrade(engine)
                        counts = load_into(ctx, pg_schema_url(server, build), engine)
                        with engine.begin() as bconn:
                            bconn.execute(
                                text("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
                            )
                            for k, v in _meta_rows(ctx, counts):
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
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK})
    finally:
        admin.dispose()
    return pg_schema_url(server, final)


def database(ctx: Context, backend: str) -> str:
    """URL of the populated database at ctx.scale on backend ("sqlite" or "postgresql"),
    built on first use and cached. Treat it as read-only."""
    if backend == "sqlite":
        return _sqlite_database(ctx)
    if backend == "postgresql":
        return _pg_database(ctx)
    raise ValueError(f"unknown backend {backend!r}")


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
