"""Importing official files: one file → one report, one transaction per file.

`import_billstatus` / `import_congress_json` take a session (the caller commits);
`import_paths` runs many files, committing each in its own transaction, so a malformed
file is reported by name and skipped while the others go in, and an interrupted run
keeps every file that finished (re-running skips them: their digests match).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ParseError, TrackerError, UsageError
from tracker.legislation.common import ImportReport, ReportBuilder, failed
from tracker.legislation.parsed import label
from tracker.legislation.store import Store, store_measures

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session


def import_billstatus(
    session: Session, path: str | Path, shared: dict[str, Any] | None = None
) -> ImportReport:
    """One BILLSTATUS XML file (either schema): the bill and the amendments it lists.
    `shared` lets consecutive files reuse lookups (see import_paths)."""
    from tracker.legislation.billstatus import parse_billstatus

    path = Path(path)
    bill, amendments = parse_billstatus(path)
    store = Store(session, "billstatus", shared)
    rep = ReportBuilder(str(path), "billstatus")
    source = store.source_id(
        f"billstatus:{bill.official_id}",
        f"BILLSTATUS XML for {label(bill.official_id)}",
        bill.url,
        "GovInfo",
        bill.source_updated_at,
    )
    store_measures(store, (bill, *amendments), source, str(path), rep)
    for parsed in (bill, *amendments):
        _count(rep, parsed)
    rep.bump("amendments", len(amendments))
    _created_people(rep, store)
    return rep.build()


def import_congress_json(
    session: Session, path: str | Path, shared: dict[str, Any] | None = None
) -> ImportReport:
    """One unitedstates/congress data.json file (a bill or an amendment)."""
    from tracker.legislation.congress_json import parse_congress_json

    path = Path(path)
    parsed, warnings = parse_congress_json(path)
    store = Store(session, "congress-json", shared)
    rep = ReportBuilder(str(path), "congress-json")
    source = store.source_id(
        f"congress-json:{parsed.official_id}",
        f"unitedstates/congress data for {label(parsed.official_id)}",
        None,
        "unitedstates/congress",
        parsed.source_updated_at,
    )
    store_measures(store, (parsed,), source, str(path), rep)
    _count(rep, parsed)
    if parsed.measure_type == "amendment":
        rep.bump("amendments")
        if parsed.vehicle_ref and not _loaded(session, parsed.vehicle_ref):
            rep.warn(
                f"{parsed.official_id} amends {parsed.vehicle_ref}, which is not loaded yet; "
                "the reference resolves when it is imported"
            )
    for w in warnings:
        rep.warn(f"{parsed.official_id}: {w}")
    _created_people(rep, store)
    return rep.build()


def _loaded(session: Session, official_id: str) -> bool:
    from sqlalchemy import select

    from tracker.models import Measure

    return session.scalar(select(Measure.id).where(Measure.official_id == official_id)) is not None


def _count(rep: ReportBuilder, parsed: object) -> None:
    rep.bump("measures")
    rep.bump("actions", len(parsed.actions))  # type: ignore[attr-defined]
    rep.bump("cosponsors", len(parsed.cosponsors))  # type: ignore[attr-defined]
    rep.bump("votes", len(parsed.votes))  # type: ignore[attr-defined]


def _created_people(rep: ReportBuilder, store: Store) -> None:
    created = list(dict.fromkeys(store.people.created))
    if created:
        rep.bump("people added", len(created))
        rep.change(
            f"added {len(created)} members not known before: {', '.join(created[:10])}"
            + (" …" if len(created) > 10 else "")
        )


IMPORTERS: dict[str, tuple[Callable[..., ImportReport], str]] = {
    "billstatus": (import_billstatus, "*.xml"),
    "congress-json": (import_congress_json, "*.json"),
}


def expand(paths: Iterable[str | Path], pattern: str) -> Iterator[Path]:
    """Files as given, and files matching pattern under any directory given (sorted)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(x for x in p.rglob(pattern) if x.is_file())
        elif p.exists():
            yield p
        else:
            raise UsageError(f"no such file or directory: {p}")


@contextlib.contextmanager
def _older_objects_frozen() -> Iterator[None]:
    """Keep the objects that existed before a run out of the cyclic GC's full passes.

    An import allocates hundreds of thousands of short-lived objects (element trees,
    parsed values, rows), which sets off full collections; each one walks every object of
    the process (SQLAlchemy's mappers, the models, …: ~40 ms apiece, about a fifth of a
    48-file import). Frozen, those objects are skipped; new garbage is still collected.
    Left alone when someone else froze objects already (their unfreeze is theirs).
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _FileTransactions:
    """One transaction per file on one connection held for the whole run.

    Checking a pooled connection out and back in for every file (with PostgreSQL's
    pre-ping round trip and the reset on return) cost more than some files' own
    statements. After a failed file the connection is returned and the next file
    takes a fresh one, so a broken connection never outlives the file it broke.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Any = None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on success, rolled back on any error."""
        from sqlalchemy.orm import Session

        if self.conn is None:
            self.conn = self.engine.connect()
        session = Session(bind=self.conn, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            session.close()
            self.close()
            raise
        finally:
            session.close()

    def close(self) -> None:
        if self.conn is not None:
            conn, self.conn = self.conn, None
            conn.close()


def import_paths(engine: Engine, kind: str, paths: Iterable[str | Path]) -> list[ImportReport]:
    """Import every file (directories are searched), each in its own transaction."""
    from sqlalchemy.exc import SQLAlchemyError

    if kind not in IMPORTERS:
        raise UsageError(f"unknown import kind {kind!r}")
    fn, pattern = IMPORTERS[kind]
    files = list(expand(paths, pattern))
    if not files:
        raise UsageError(f"no {pattern} files found in {', '.join(map(str, paths))}")
    reports = []
    shared: dict[str, Any] = {}  # lookups reused from file to file while all goes well
    run = _FileTransactions(engine)
    with _older_objects_frozen(), contextlib.closing(run):
        for path in files:
            try:
                with run.session() as session:
                    reports.append(fn(session, path, shared))
            except TrackerError as exc:
                reports.append(failed(str(path), kind, str(exc)))
                shared.clear()
            except (SQLAlchemyError, ValueError) as exc:
                reason = str(getattr(exc, "orig", exc)).splitlines()[0]
                reports.append(
                    failed(str(path), kind, f"{path.name}: could not be stored: {reason}")
                )
                shared.clear()
    resolve_committees(engine)
    return reports


def resolve_committees(engine: Engine) -> int:
    """Link committee referrals to committee actors imported since (by committee code)."""

    from tracker.db import session_scope

    with session_scope(engine) as s:
        return resolve_committee_codes(s)


def resolve_committee_codes(session: Session) -> int:
    from sqlalchemy import select, update

    from tracker.models import ActorExternalId
    from tracker.models.legislation import MeasureCommittee

    table = MeasureCommittee.__table__
    n = 0
    codes = dict(
        session.execute(
            select(ActorExternalId.value, ActorExternalId.actor_id).where(
                ActorExternalId.scheme == "thomas"
            )
        ).all()
    )
    pending = set(
        session.scalars(
            select(MeasureCommittee.code).where(MeasureCommittee.committee_id.is_(None))
        )
    )
    for code in pending & set(codes):
        n += (
            session.execute(
                update(table)
                .where(table.c.code == code, table.c.committee_id.is_(None))
                .values(committee_id=codes[code])
            ).rowcount
            or 0
        )
    return n


def detect(path: Path) -> str:
    """Which importer a file is for ("billstatus", "congress-json", "designations",
    "legislators", "committees"); raises ParseError saying what the file is otherwise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ParseError(f"{path.name}: cannot read: {exc.strerror}") from None
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    lower = text.lower()
    suffix = path.suffix.lower()
    if "<billstatus" in lower:
        return "billstatus"
    if text.startswith("<") or suffix in (".xml", ".rss", ".atom", ".rdf"):
        if any(tag in lower for tag in ("<rss", "<feed", "<rdf:rdf", "<channel")):
            raise ParseError(
                f"{path.name}: an RSS/Atom feed, not official data; "
                "subscribe to it with the feed commands instead"
            )
        raise ParseError(f"{path.name}: XML that is not a BILLSTATUS file")
    if suffix == ".json" or text.startswith("{"):
        import json

        try:  # the keys are sorted, so the ids can come after a long list of actions
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and ("bill_id" in data or "amendment_id" in data):
            return "congress-json"
        raise ParseError(
            f"{path.name}: JSON without bill_id or amendment_id "
            "(not a unitedstates/congress data.json)"
        )
    if suffix == ".csv":
        header = lower.splitlines()[0] if lower else ""
        if any(n in header for n in ("clean name", "entity", "name")):
            return "designations"
        raise ParseError(f"{path.name}: CSV without an entity column")
    if suffix in (".yaml", ".yml"):
        if "bioguide" in lower and "terms" in lower:
            return "legislators"
        if "thomas_id" in lower:
            return "committees"
        raise ParseError(
            f"{path.name}: YAML that is neither congress-legislators nor committees data"
        )
    raise ParseError(f"{path.name}: not a file type tracker imports")


def import_auto(engine: Engine, paths: Iterable[str | Path]) -> list[ImportReport]:
    """Import each file with the importer its content calls for, one transaction per file;
    files no importer handles are reported with the reason."""
    from sqlalchemy.exc import SQLAlchemyError

    from tracker.db import session_scope
    from tracker.legislation.committees import import_committees
    from tracker.legislation.designations import import_designations
    from tracker.legislation.legislators import import_legislators

    single = {
        "billstatus": import_billstatus,
        "congress-json": import_congress_json,
        "designations": import_designations,
        "legislators": import_legislators,
        "committees": import_committees,
    }
    reports = []
    with _older_objects_frozen():
        for path in expand(paths, "*"):
            kind = "unknown"
            try:
                kind = detect(path)
                with session_scope(engine) as session:
                    reports.append(single[kind](session, path))
            except TrackerError as exc:
                reports.append(failed(str(path), kind, str(exc)))
            except (SQLAlchemyError, ValueError) as exc:
                reason = str(getattr(exc, "orig", exc)).splitlines()[0]
                reports.append(
                    failed(str(path), kind, f"{path.name}: could not be stored: {reason}")
                )
    resolve_committees(engine)
    return reports
