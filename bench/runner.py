"""Finding, running and reporting the benchmark modules.

Each `bench/bench_<name>.py` runs in its own Python process by default, so one module's
memory, imports or crash cannot distort or stop another's; whatever goes wrong becomes an
"error" row in the report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import BUDGET_S, Context, Measurement

HERE = Path(__file__).resolve().parent
ORDER = ("startup", "ingest", "linking", "query", "records", "legislation")


@dataclass
class ModuleResult:
    name: str
    seconds: float
    measurements: list[Measurement]
    error: str = ""


@dataclass
class Report:
    scale: str
    seed: int
    backends: list[str]
    modules: list[ModuleResult] = field(default_factory=list)
    # 1-minute load average at the start and end, and the cores: how noisy the machine was
    load: list[float] = field(default_factory=lambda: [_loadavg()])
    cores: int = field(default_factory=lambda: os.cpu_count() or 1)
    started_at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    )

    @property
    def rows(self) -> list[Measurement]:
        return [m for mod in self.modules for m in mod.measurements]

    @property
    def seconds(self) -> float:
        return sum(m.seconds for m in self.modules)


def _loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # pragma: no cover - platforms without it
        return -1.0


def available() -> list[str]:
    """Names of the benchmark modules present (bench_<name>.py), in the report's order."""
    names = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def select(only: Sequence[str] | None) -> list[str]:
    """The modules to run: all, or the ones named (with or without the bench_ prefix)."""
    if not only:
        return available()
    wanted = [
        w.strip().removeprefix("bench_").removesuffix(".py")
        for item in only
        for w in item.split(",")
        if w.strip()
    ]
    return list(dict.fromkeys(wanted))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    return f"{type(exc).__name__}: {text}"[:300]


def _check(name: str, result: object) -> list[Measurement]:
    if not isinstance(result, list) or not all(isinstance(m, Measurement) for m in result):
        raise TypeError(f"bench_{name}.run() must return a list of Measurement")
    return result


def run_callable(name: str, fn: Callable[[Context], object], ctx: Context) -> ModuleResult:
    """Run one module's run(ctx) here; any exception becomes an error row."""
    t0 = time.perf_counter()
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout is for the report only
            rows = _check(name, fn(ctx))
        return ModuleResult(name, time.perf_counter() - t0, rows)
    except Exception as exc:
        ctx.log(f"{name} failed:\n{''.join(traceback.format_exc(limit=-6))}")
        err = _one_line(exc)
        return ModuleResult(name, time.perf_counter() - t0, [Measurement.failure(name, err)], err)


def run_in_process(name: str, ctx: Context) -> ModuleResult:
    if not (HERE / f"bench_{name}.py").is_file():
        err = f"no benchmark module bench/bench_{name}.py"
        return ModuleResult(name, 0.0, [Measurement.failure(name, err)], err)
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        fn = module.run
    except Exception as exc:
        err = f"cannot load bench_{name}: {_one_line(exc)}"
        ctx.log(err)
        return ModuleResult(name, 0.0, [Measurement.failure(name, err)], err)
    return run_callable(name, fn, ctx)


def context_to_json(ctx: Context) -> str:
    return json.dumps(
        {
            "scale": ctx.scale,
            "seed": ctx.seed,
            "servers": ctx.servers,
            "corpus_dir": str(ctx.corpus_dir) if ctx.corpus_dir else None,
            "cache_dir": str(ctx.cache_dir),
            "verbose": ctx.verbose,
        }
    )


def context_from_json(text: str) -> Context:
    d = json.loads(text)
    ctx = Context(
        scale=d["scale"],
        seed=d["seed"],
        cache_dir=Path(d["cache_dir"]),
        corpus_dir=Path(d["corpus_dir"]) if d["corpus_dir"] else None,
        verbose=d["verbose"],
    )
    return ctx.with_servers(d["servers"])


def run_subprocess(name: str, ctx: Context, timeout: float) -> ModuleResult:
    """Run one module in a child Python (bench.worker); a crash, a hang past `timeout` or
    garbage output becomes an error row."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "bench.worker", name, str(out)]
        env = dict(os.environ, BENCH_CONTEXT=context_to_json(ctx))
        try:
            # The child's stdout goes to our stderr: only the report may use stdout (--json).
            proc = subprocess.run(
                argv, env=env, cwd=HERE.parent, timeout=timeout, check=False, stdout=sys.stderr
            )
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = None
        seconds = time.perf_counter() - t0
        if code is None:
            err = f"timed out after {timeout:.0f} s"
        elif not out.exists():
            err = f"the benchmark process died (exit code {code})"
        else:
            try:
                data = json.loads(out.read_text())
                rows = [Measurement(**_nan_in(r)) for r in data["measurements"]]
                return ModuleResult(name, seconds, rows, data.get("error", ""))
            except (ValueError, TypeError, KeyError) as exc:
                err = f"unreadable result: {_one_line(exc)}"
    return ModuleResult(name, seconds, [Measurement.failure(name, err)], err)


def run_all(
    ctx: Context, names: Sequence[str], *, isolate: bool = True, timeout: float = 1800
) -> Report:
    report = Report(ctx.scale, ctx.seed, ctx.backends)
    for name in names:
        ctx.log(f"running {name} …")
        result = run_subprocess(name, ctx, timeout) if isolate else run_in_process(name, ctx)
        ctx.log(f"{name}: {result.seconds:.1f} s" + (f" — {result.error}" if result.error else ""))
        report.modules.append(result)
    report.load.append(_loadavg())
    return report


# --- output ---------------------------------------------------------------------------------


def _nan_out(d: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


def _nan_in(d: dict) -> dict:
    d = dict(d)
    d.pop("status", None)
    d.pop("module", None)
    if d.get("ours") is None:
        d["ours"] = float("nan")
    return d


def measurement_dict(m: Measurement) -> dict:
    return {**_nan_out(dataclasses.asdict(m)), "status": m.status}


def to_json(report: Report) -> str:
    """Stable JSON for machines: the rows, per-module timings and the run's settings."""
    return json.dumps(
        {
            "scale": report.scale,
            "seed": report.seed,
            "backends": report.backends,
            "started_at": report.started_at,
            "load_average": report.load,
            "cores": report.cores,
            "python": platform.python_version(),
            "seconds": round(report.seconds, 2),
            "modules": [
                {"name": m.name, "seconds": round(m.seconds, 2), "error": m.error}
                for m in report.modules
            ],
            "results": [
                {**measurement_dict(m), "module": mod.name}
                for mod in report.modules
                for m in mod.measurements
            ],
        },
        indent=2,
        sort_keys=False,
        allow_nan=False,
    )


def report_from_json(text: str) -> Report:
    """A report saved with --json, to render again (--from-json FILE --markdown)."""
    d = json.loads(text)
    report = Report(d["scale"], d["seed"], d["backends"], started_at=d["started_at"])
    report.load = d.get("load_average", [])
    report.cores = d.get("cores", 0)
    names = [m["name"] for m in d["modules"]]
    rows: dict[str, list[Measurement]] = {n: [] for n in names}
    for r in d["results"]:
        rows.setdefault(r.get("module") or names[0], []).append(Measurement(**_nan_in(r)))
    for m in d["modules"]:
        report.modules.append(ModuleResult(m["name"], m["seconds"], rows[m["name"]], m["error"]))
    return report


def fmt(value: float | None, unit: str = "") -> str:
    """1234.5 -> "1,234", 12.34 -> "12.3", 0.0421 -> "0.042"; with the unit after it."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    a = abs(value)
    text = f"{value:,.0f}" if a >= 100 else f"{value:.1f}" if a >= 10 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def cells(m: Measurement) -> list[str]:
    """One row of the table as plain strings (also used for the Markdown table)."""
    baseline = fmt(m.baseline, m.unit)
    if m.baseline_label:
        baseline = (
            f"{baseline} ({m.baseline_label})" if m.baseline is not None else m.baseline_label
        )
    ratio = "-" if m.ratio is None else f"{m.ratio:.2f}x"
    notes = m.error or m.notes
    return [
        m.what,
        m.backend,
        baseline,
        fmt(m.ours, m.unit),
        ratio,
        m.target or "-",
        m.status,
        notes,
    ]


HEADERS = ["what", "backend", "baseline", "ours", "ratio", "target", "result", "notes"]


def timings(report: Report) -> str:
    """ "total 56 s (startup 3 s, records 53 s)": where the run's time went."""
    budget = BUDGET_S.get(report.scale, 0)
    each = ", ".join(
        f"{m.name} {m.seconds:.0f} s" + (" (over budget)" if m.seconds > budget else "")
        for m in report.modules
    )
    load = " → ".join(f"{x:.1f}" for x in report.load)
    text = f"total {report.seconds:.0f} s ({each}); load {load} on {report.cores} cores"
    if report.cores and max(report.load, default=0) > report.cores:
        text += " — busy machine: wall-clock figures are inflated, compare ratios"
    return text


def table(report: Report):  # type: ignore[no-untyped-def]
    """The Rich table. Cells go through tracker.render.safe (a Text, escapes removed), so
    no error message can inject markup or terminal sequences."""
    from rich.table import Table

    from tracker.render import safe

    styles = {"pass": "green", "FAIL": "bold red", "error": "red", "-": "dim"}
    t = Table(
        title=f"tracker benchmarks — scale {report.scale}, seed {report.seed}",
        caption=f"{report.started_at} · python {platform.python_version()} · ratios are "
        f"measured in the same run\n{timings(report)}",
    )
    for h in HEADERS:
        t.add_column(h, overflow="fold", justify="right" if h in ("ours", "ratio") else "left")
    for m in report.rows:
        row = [safe(c) for c in cells(m)]
        row[6].stylize(styles.get(m.status, ""))
        t.add_row(*row)
    return t


def markdown(report: Report) -> str:
    """The same table in Markdown (for docs/performance.md)."""
    from tracker.text import clean

    esc = [[clean(c).replace("|", "\\|") for c in cells(m)] for m in report.rows]
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(r) + " |" for r in esc]
    lines += [
        "",
        f"Scale {report.scale}, seed {report.seed}, {report.started_at}; {timings(report)}.",
    ]
    return "\n".join(lines) + "\n"
