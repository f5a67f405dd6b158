"""What the matcher produces and how it scores: thresholds, mentions, candidate links.

Shared by the matcher (finding) and the disambiguation rules (deciding), so neither has to
import the other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tracker.errors import UsageError
from tracker.linking.gazetteer import Target

ORG_KINDS = frozenset({"company", "ai_lab", "organization", "agency", "media_outlet"})


@dataclass(frozen=True)
class LinkConfig:
    """Thresholds (0–1). At or above `accept` a link is auto-accepted; at or above `review`
    it waits in the review queue; below, it is dropped."""

    accept: float = 0.80
    review: float = 0.50
    fuzzy: bool = True
    fuzzy_word: float = 85.0  # rapidfuzz ratio for a misspelt word
    fuzzy_alias: float = 88.0  # … and for the whole alias against the text window

    def __post_init__(self) -> None:
        if not 0.0 <= self.review <= self.accept <= 1.0:
            raise UsageError(
                f"linking thresholds must satisfy 0 <= review <= accept <= 1 "
                f"(got review {self.review}, accept {self.accept})"
            )

    def status(self, score: float) -> str | None:
        if score >= self.accept:
            return "auto"
        if score >= self.review:
            return "review"
        return None

    @classmethod
    def from_env(cls, **overrides: float | bool | None) -> LinkConfig:
        """Defaults, then TRACKER_LINK_ACCEPT / TRACKER_LINK_REVIEW / TRACKER_LINK_FUZZY,
        then explicit values (None means "not given")."""
        values: dict[str, float | bool] = {}
        for name, var in (("accept", "TRACKER_LINK_ACCEPT"), ("review", "TRACKER_LINK_REVIEW")):
            raw = os.environ.get(var)
            if raw:
                try:
                    values[name] = float(raw)
                except ValueError:
                    raise UsageError(
                        f"{var} must be a number between 0 and 1, not {raw!r}"
                    ) from None
        fuzzy = os.environ.get("TRACKER_LINK_FUZZY")
        if fuzzy:
            values["fuzzy"] = fuzzy.strip().lower() not in ("0", "no", "off", "false")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


DEFAULT_CONFIG = LinkConfig()


@dataclass(frozen=True)
class Found:
    """One mention of one actor: a character span of the text and how it was decided."""

    actor_id: int
    start: int
    end: int
    text: str
    method: str  # exact / alias / fuzzy / context
    score: float
    why: str


@dataclass(frozen=True)
class Candidate:
    """An actor the text mentions: best score, its method, status, mentions and a reason."""

    actor_id: int
    score: float
    method: str
    status: str
    reason: str
    mentions: tuple[Found, ...]


@dataclass
class Hit:
    start: int
    end: int
    entry: int  # gazetteer entry, or -1 for a document-local name word
    targets: tuple[Target, ...]
    fuzzy: float = 0.0  # rapidfuzz ratio / 100 when found by the fuzzy pass
    how: str = ""


def make_found(t: Target, h: Hit, span: str, score: float, method: str, why: str) -> Found:
    if h.fuzzy:
        score = min(score, h.fuzzy * 0.95 if h.how == "typo" else 0.9)
        method = "fuzzy"
        why = f"{h.how} ({h.fuzzy:.2f})" + (f"; {why}" if why else "")
    return Found(t.actor_id, h.start, h.end, span, method, round(score, 4), why or method)
