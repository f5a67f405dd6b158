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

import dataclasses
import functools
import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench import corpus, dbcache, dbload, dbrows, feedgen
from bench.corpus import GenActor, GenArticle
from bench.harness import Context

GEN_VERSION = "1"
FEEDS_VERSION = "2"  # bump when feed files change in a way the generator code does not show
FEED_WINDOW = timedelta(days=3)  # the dates one feed file spans
FEED_SPAN = timedelta(days=corpus.SPAN_DAYS)  # the files together, newest first
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LEGISLATORS = Path("congress-legislators") / "legislators-current.yaml"


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


def _migrations() -> list[Path]:
    """The migration files in chain order (their names start with the revision's number)."""
    return sorted((REPO / "migrations" / "versions").glob("*.py"))


@functools.cache
def schema_revision(upto: int | None = None) -> str:
    """Fingerprint of the migration chain (the files, since revision ids never change);
    `upto`: of its first `upto` files only."""
    return _digest(_migrations()[:upto])[:12]


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


def cache_key(ctx: Context, upto: int | None = None) -> str:
    """Scale + seed + schema revision + generator code + legislators file (`upto`: the key
    a build made when only the first `upto` migrations existed had)."""
    leg = legislators_path(ctx)
    parts = [
        ctx.scale,
        str(ctx.seed),
        schema_revision(upto),
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
    key = f"{ctx.seed}-{generator_revision()}-v{FEEDS_VERSION}-{n_entries}-{per_file}"
    folder = ctx.cache_dir / "feeds" / key
    done = folder / ".complete"
    names = [
        f"feed-{i:05d}.{'atom' if i % 3 == 2 else 'rss'}.xml"
        for i in range((n_entries + per_file - 1) // per_file)
    ]
    if not done.exists():
        with dbcache.lock(ctx.cache_dir, "feeds"):
            if not done.exists():
                folder.mkdir(parents=True, exist_ok=True)
                actors = gazetteer(ctx)
                for i, name in enumerate(names):
                    count = min(per_file, n_entries - i * per_file)
                    items = _recent(
                        corpus.articles(ctx.seed, actors, i * per_file, count, stream="feeds"),
                        corpus.EPOCH - i * (FEED_SPAN / max(len(names), 1)),
                    )
                    write = feedgen.atom if name.endswith(".atom.xml") else feedgen.rss
                    text = write(items, f"Generated wire {i}", f"https://wire{i}.example.org/")
                    (folder / name).write_text(text, encoding="utf-8")
                done.write_text(str(len(names)))
    return [folder / n for n in names]


def _recent(items: list[GenArticle], newest: datetime) -> list[GenArticle]:
    """Like a real feed: the newest entries first, all from the three days before `newest`
    (a feed file is a snapshot, not two years of history)."""
    step = FEED_WINDOW / max(len(items), 1)
    return [
        dataclasses.replace(a, published=newest - step * k - timedelta(seconds=a.index % 97))
        for k, a in enumerate(items)
    ]


def real_feed_files(ctx: Context) -> list[Path]:
    """The real-world RSS/Atom/RDF files of the shared corpus (empty without it)."""
    if not ctx.corpus_dir or not (ctx.corpus_dir / "real-feeds").is_dir():
        return []
    return sorted(p for p in (ctx.corpus_dir / "real-feeds").iterdir() if p.is_file())


# --- databases ------------------------------------------------------------------------------


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


def older_keys(ctx: Context) -> list[str]:
    """Keys of builds made before the newest migrations were added, newest first: such a
    build (same generator, same data) is migrated forward instead of rebuilt, as a live
    database would be (a large build takes many minutes; a new index, one)."""
    return [cache_key(ctx, n) for n in range(len(_migrations()) - 1, 0, -1)]


def database(ctx: Context, backend: str) -> str:
    """URL of the populated database at ctx.scale on backend ("sqlite" or "postgresql"),
    built on first use (or migrated forward from a build that predates the newest
    migrations) and cached. Treat it as read-only."""
    key = cache_key(ctx)

    def load(url: str, engine: Any) -> dict[str, int]:
        return load_into(ctx, url, engine)

    if backend == "sqlite":
        return dbcache.sqlite_database(ctx, key, load, older_keys(ctx))
    if backend == "postgresql":
        return dbcache.pg_database(ctx, key, load, older_keys(ctx))
    raise ValueError(f"unknown backend {backend!r}")


def empty_database(ctx: Context, backend: str, name: str) -> str:
    """A fresh database migrated to head, for a benchmark that writes; removed at exit."""
    return dbcache.empty_database(ctx, backend, name)


def pg_schema_url(server: str, schema: str) -> str:
    """The PostgreSQL server URL with search_path pinned to one schema."""
    return dbcache.pg_schema_url(server, schema)
