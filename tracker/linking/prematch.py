"""Matching ahead of the database: `match_text` for texts before they are stored.

An ingest run forks its parse workers with the run's gazetteer; each worker matches the
items it parsed, beside the parse, on its own core. The results travel back keyed by a
digest of the exact text matched, and `link_articles` uses one only when the stored
article's text is the same (anything else, e.g. a text the database truncated, is matched
afresh), so precomputing can change how fast links are written, never which.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracker.linking.candidates import Candidate, LinkConfig
from tracker.linking.gazetteer import Gazetteer

Matches = Mapping[bytes, tuple[Candidate, ...]]


def text_key(text: str) -> bytes:
    """A 16-byte digest of a text (what precomputed matches are looked up by)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True)
class Prematcher:
    """A gazetteer snapshot and the thresholds to match with (the ones link_articles is
    then called with: a match's status depends on them)."""

    gazetteer: Gazetteer
    config: LinkConfig

    def __call__(self, texts: Iterable[str]) -> dict[bytes, tuple[Candidate, ...]]:
        from tracker.linking.matcher import match_text

        out: dict[bytes, tuple[Candidate, ...]] = {}
        for text in texts:
            key = text_key(text)
            if key not in out:
                out[key] = tuple(match_text(self.gazetteer, text, self.config))
        return out
