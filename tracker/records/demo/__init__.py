"""The demo knowledge base: the June 2026 distillation story as record files shipped with
the package (sources.yaml, actors.yaml, story.yaml), loaded like any other records."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.records.loader import LoadReport, load_parsed
from tracker.records.parse import Parsed, parse_text

FILES = ("sources.yaml", "actors.yaml", "story.yaml")


def demo_files() -> list[Path]:
    """Paths of the demo record files, in load order."""
    root = resources.files(__package__)
    return [Path(str(root / name)) for name in FILES]


def build_demo(session: Session) -> LoadReport:
    """Load (or refresh) the demo records; idempotent, so running it twice changes nothing.
    The caller commits."""
    root = resources.files(__package__)
    parsed = Parsed()
    for name in FILES:
        parsed.extend(parse_text((root / name).read_text(encoding="utf-8"), name))
    return load_parsed(session, parsed, FILES)
