"""The contract between the benchmark runner and the benchmark modules.

Each module `bench/bench_<area>.py` defines `run(ctx: Context) -> list[Measurement]`.
Every figure is a ratio against a baseline measured in the same run (machines here are
shared and noisy), with the absolute numbers beside it for context.

A module gets its data from `bench.generate`:

    from bench import generate
    from bench.harness import Context, Measurement, latencies, p95

    def run(ctx: Context) -> list[Measurement]:
        out = []
        for backend in ctx.backends:                       # "sqlite", "postgresql"
            url = ctx.db_urls[backend]                     # populated database at ctx.scale
            ...
        files = generate.feed_files(ctx, 5_000)            # RSS/Atom files, 5,000 entries
        return out

`ctx.db_urls[backend]` (same as `generate.database(ctx, backend)`) builds the generated
database on first use, or takes it from the cache; treat it as READ-ONLY. A benchmark that
writes asks for its own empty database with `generate.empty_database(ctx, backend, "name")`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SCALES = {"tiny": 1_000, "small": 10_000, "medium": 100_000, "large": 1_000_000}  # articles
# Seconds one module should aim for at each scale: the whole `small` run (six modules, both
# backends) must stay under two minutes, since CI may run it as a smoke test.
BUDGET_S = {"tiny": 10, "small": 20, "medium": 300, "large": 1800}
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Measurement:
    what: str  # e.g. "linking, fuzzy on"
    backend: str  # "sqlite", "postgresql" or "-" when no database is involved
    baseline_label: str  # what the baseline is, e.g. "bare feedparser.parse"
    baseline: float | None  # the baseline's absolute figure
    ours: float  # our absolute figure
    unit: str  # "entries/s", "ms p95", "s", "MB"
    ratio: float | None  # ours relative to the baseline, as the target states it
    target: str  # e.g. ">= 0.7x", "p95 <= 30 ms"
    passed: bool | None  # None when there is no target at this scale
    notes: str = ""
    error: str = ""  # set (by the runner) when the benchmark itself failed

    @property
    def status(self) -> str:
        """ "pass", "FAIL", "error" or "-" (no target at this scale)."""
        if self.error:
            return "error"
        if self.passed is None:
            return "-"
        return "pass" if self.passed else "FAIL"

    @classmethod
    def failure(cls, what: str, error: str, backend: str = "-") -> Measurement:
        """A row saying a benchmark could not run (the runner reports it, never crashes)."""
        return cls(what, backend, "", None, float("nan"), "", None, "", None, error=error)


class _Databases(Mapping[str, str]):
    """backend -> URL of the generated database, built (or taken from the cache) on first use."""

    def __init__(self, ctx: Context, backends: Sequence[str]) -> None:
        self._ctx = ctx
        self._backends = list(backends)
        self._urls: dict[str, str] = {}

    def __getitem__(self, backend: str) -> str:
        if backend not in self._backends:
            raise KeyError(backend)
        if backend not in self._urls:
            from bench import generate

            self._urls[backend] = generate.database(self._ctx, backend)
        return self._urls[backend]

    def __iter__(self) -> Iterator[str]:
        return iter(self._backends)

    def __len__(self) -> int:
        return len(self._backends)


@dataclass
class Context:
    scale: str = "small"
    # backend -> URL of the populated database at this scale (lazy: built on first access)
    db_urls: Mapping[str, str] = field(default_factory=dict)
    corpus_dir: Path | None = None  # TRACKER_CORPUS_DIR (shared/data)
    cache_dir: Path = Path(__file__).resolve().parent / ".cache"
    seed: int = 1234
    # backend -> where generated databases live: a PostgreSQL URL (each build gets its own
    # schema in that database) or, for SQLite, "" (= cache_dir) or a sqlite:/// file URL.
    servers: dict[str, str] = field(default_factory=dict)
    verbose: bool = True  # progress lines on stderr

    @property
    def articles(self) -> int:
        return SCALES[self.scale]

    @property
    def actors(self) -> int:
        """Actors in the generated gazetteer: 10,000 (with >= 40,000 aliases) from small up."""
        return 600 if self.scale == "tiny" else 10_000

    @property
    def budget_s(self) -> int:
        """How long one module should take at this scale (size samples to fit)."""
        return BUDGET_S[self.scale]

    @property
    def events(self) -> int:
        """Event records: one per ten articles (100k at large)."""
        return self.articles // 10

    @property
    def backends(self) -> list[str]:
        """The backends this run covers, in order ("sqlite" first)."""
        names = list(self.servers) or list(self.db_urls)
        return [b for b in BACKENDS if b in names]

    @classmethod
    def from_env(cls, scale: str = "small") -> Context:
        """A context from the environment: SQLite always, PostgreSQL when
        TRACKER_BENCH_DATABASE_URL is set."""
        corpus = os.environ.get("TRACKER_CORPUS_DIR")
        servers = {"sqlite": ""}
        pg = os.environ.get("TRACKER_BENCH_DATABASE_URL")
        if pg:
            servers["postgresql"] = pg
        ctx = cls(scale=scale, corpus_dir=Path(corpus) if corpus else None, servers=servers)
        ctx.db_urls = _Databases(ctx, ctx.backends)
        return ctx

    def with_servers(self, servers: dict[str, str]) -> Context:
        """Point this context at these backends (lazy databases rebuilt accordingly)."""
        self.servers = dict(servers)
        self.db_urls = _Databases(self, self.backends)
        return self

    def log(self, message: str) -> None:
        """A progress line on stderr (the table goes to stdout)."""
        if self.verbose:
            print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time of `repeat` runs of fn, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def timed_cpu(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """(best wall seconds, CPU seconds of that run) for fn in this process.

    On a shared, loaded machine wall time includes waiting for a core; for single-threaded
    CPU-bound work (parsing, matching) the CPU time is the steadier figure, so report both
    (e.g. the CPU-based rate in the notes) when the target is a throughput.
    """
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        run = (time.perf_counter() - w0, time.process_time() - c0)
        best = min(best, run)
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


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def ratio(ours: float, baseline: float | None) -> float | None:
    """ours / baseline, or None when there is no usable baseline."""
    if baseline is None or baseline == 0:
        return None
    return ours / baseline


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux/macOS)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# Runs the measured command as its own fresh child and reports that child's figures. Going
# through this small process matters: Linux carries a process's peak RSS across exec, so a
# command spawned straight from a big benchmark process would report the benchmark's size.
_TRAMPOLINE = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as fh:
    fh.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_measured(
    argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600
) -> tuple[float, float, int]:
    """Run a command; return (wall seconds, peak RSS in MB of that process, exit code).

    Peak memory is the command's own (its rusage, read by a small trampoline process that
    forks it, so the caller's memory never leaks into the figure); the wall time is the
    command's alone too. Output is discarded; a run past `timeout` is killed (exit -9).
    """
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        out = os.path.join(tmp, "result")
        proc = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, out, *argv],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            return float(timeout), 0.0, -9
        try:
            with open(out) as fh:
                wall, peak, code = fh.read().split()
        except (OSError, ValueError):
            return 0.0, 0.0, proc.returncode or 1
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return float(wall), int(peak) / scale, int(code)
