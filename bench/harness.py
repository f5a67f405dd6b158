"""The contract between the benchmark runner and the benchmark modules.

Each module `bench/bench_<area>.py` defines `run(ctx: Context) -> list[Measurement]`.
Every figure is a ratio against a baseline measured in the same run (machines here are
shared and noisy), with the absolute numbers beside it for context.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SCALES = {"small": 10_000, "medium": 100_000, "large": 1_000_000}  # articles


@dataclass(frozen=True)
class Measurement:
    what: str                 # e.g. "linking, fuzzy on"
    backend: str              # "sqlite", "postgresql" or "-" when no database is involved
    baseline_label: str       # what the baseline is, e.g. "bare feedparser.parse"
    baseline: float | None    # the baseline's absolute figure
    ours: float               # our absolute figure
    unit: str                 # "entries/s", "ms p95", "s", "MB"
    ratio: float | None       # ours relative to the baseline, as the target states it
    target: str               # e.g. ">= 0.7x", "p95 <= 30 ms"
    passed: bool | None       # None when there is no target at this scale
    notes: str = ""


@dataclass
class Context:
    scale: str = "small"
    db_urls: dict[str, str] = field(default_factory=dict)   # backend -> URL
    corpus_dir: Path | None = None                          # TRACKER_CORPUS_DIR (shared/data)
    cache_dir: Path = Path(__file__).resolve().parent / ".cache"
    seed: int = 1234

    @property
    def articles(self) -> int:
        return SCALES[self.scale]

    @classmethod
    def from_env(cls, scale: str = "small") -> Context:
        corpus = os.environ.get("TRACKER_CORPUS_DIR")
        return cls(scale=scale, corpus_dir=Path(corpus) if corpus else None)


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of `repeat` runs of fn, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def latencies(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]
