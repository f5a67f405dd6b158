"""Precision and recall of the matcher on labelled articles (a YAML list of cases).

Each case: `id`, `title`, `text`, `gold` (actor slugs a careful reader would link). A link
counts as predicted when the matcher auto-accepts it; links sent to review are reported
separately, since they never reach the knowledge base without a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.linking.gazetteer import Gazetteer
from tracker.linking.matcher import DEFAULT_CONFIG, LinkConfig, match_text


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    text: str
    gold: frozenset[str]

    def full_text(self) -> str:
        return "\n\n".join(p for p in (self.title, self.text) if p)


@dataclass(frozen=True)
class Outcome:
    case: str
    true_positives: tuple[str, ...]
    false_positives: tuple[str, ...]
    false_negatives: tuple[str, ...]
    review: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    cases: int
    true_positives: int
    false_positives: int
    false_negatives: int
    outcomes: tuple[Outcome, ...]

    @property
    def precision(self) -> float:
        n = self.true_positives + self.false_positives
        return self.true_positives / n if n else 1.0

    @property
    def recall(self) -> float:
        n = self.true_positives + self.false_negatives
        return self.true_positives / n if n else 1.0

    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.false_positives or o.false_negatives]


def load_cases(path: str | Path) -> list[Case]:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [
        Case(str(c["id"]), str(c.get("title") or ""), " ".join(str(c.get("text") or "").split()),
             frozenset(c.get("gold") or ()))
        for c in data
    ]  # fmt: skip


def evaluate(gz: Gazetteer, cases: list[Case], config: LinkConfig = DEFAULT_CONFIG) -> Evaluation:
    slugs = {a.id: a.slug for a in gz.actors.values()}
    tp = fp = fn = 0
    outcomes = []
    for case in cases:
        found = match_text(gz, case.full_text(), config)
        auto = {slugs[c.actor_id] for c in found if c.status == "auto"}
        review = {slugs[c.actor_id] for c in found if c.status == "review"}
        hit, extra, missed = auto & case.gold, auto - case.gold, case.gold - auto
        tp, fp, fn = tp + len(hit), fp + len(extra), fn + len(missed)
        outcomes.append(
            Outcome(case.id, tuple(sorted(hit)), tuple(sorted(extra)), tuple(sorted(missed)),
                    tuple(sorted(review)))
        )  # fmt: skip
    return Evaluation(len(cases), tp, fp, fn, tuple(outcomes))
