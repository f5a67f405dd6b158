"""`python -m bench`: run every benchmark and print one table of ratios.

Examples:
    python -m bench                                   # small scale, SQLite (+ PostgreSQL if
                                                      # TRACKER_BENCH_DATABASE_URL is set)
    python -m bench --scale medium --backend both --db postgresql+psycopg://postgres@127.0.0.1/bench
    python -m bench --only startup --json
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench import runner
from bench.harness import SCALES, Context

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks for tracker: every figure is a ratio against a baseline "
        "measured in the same run, with the absolute numbers beside it.",
        epilog="Example: python -m bench --scale small --backend both "
        "--db postgresql+psycopg://postgres@127.0.0.1:5432/bench",
    )
    p.add_argument(
        "--scale",
        choices=list(SCALES),
        default="small",
        help="data size: small 10k, medium 100k, large 1M articles "
        "(tiny 1k is for tests); default small",
    )
    p.add_argument(
        "--db",
        action="append",
        default=[],
        metavar="URL",
        help="a PostgreSQL URL whose database holds the benchmark schemas "
        "(default TRACKER_BENCH_DATABASE_URL), or a sqlite:/// file to build "
        "into instead of bench/.cache; may be repeated",
    )
    p.add_argument(
        "--backend",
        choices=["sqlite", "postgresql", "both"],
        help="default: both when a PostgreSQL URL is known, else sqlite",
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this module (e.g. startup, ingest); repeatable, or a,b",
    )
    p.add_argument("--json", action="store_true", help="print stable JSON instead of a table")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("--seed", type=int, default=1234, help="generator seed (default 1234)")
    p.add_argument(
        "--strict", action="store_true", help="exit 1 when a target is missed or a benchmark fails"
    )
    p.add_argument(
        "--in-process",
        action="store_true",
        help="run modules in this process (for profilers); default: one process each",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=1800,
        metavar="S",
        help="per-module time limit in seconds (default 1800)",
    )
    p.add_argument(
        "--from-json",
        metavar="FILE",
        help="render a run saved with --json again (e.g. with --markdown); runs nothing",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    return p.parse_args(argv)


def _usage(message: str) -> int:
    print(f"python -m bench: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def servers(args: argparse.Namespace) -> dict[str, str] | str:
    """backend -> server (see Context.servers), or an error message."""
    sqlite, pg = "", os.environ.get("TRACKER_BENCH_DATABASE_URL", "")
    for url in args.db:
        if url.startswith("sqlite"):
            if not url.startswith("sqlite:///") or url == "sqlite:///":
                return f"--db {url}: give a file, e.g. sqlite:////tmp/bench.db"
            sqlite = url
        elif url.startswith("postgresql"):
            pg = url
        else:
            return f"--db {url}: not a sqlite:/// or postgresql URL"
    backend = args.backend or ("both" if pg else "sqlite")
    if backend in ("postgresql", "both") and not pg:
        return (
            "--backend postgresql needs --db postgresql+psycopg://… or TRACKER_BENCH_DATABASE_URL"
        )
    out: dict[str, str] = {}
    if backend in ("sqlite", "both"):
        out["sqlite"] = sqlite
    if backend in ("postgresql", "both"):
        out["postgresql"] = pg
    return out


def _check_postgres(url: str) -> str | None:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception as exc:
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        return f"cannot connect to PostgreSQL: {first[0] if first else type(exc).__name__}"
    return None


def _print(report: runner.Report, args: argparse.Namespace) -> None:
    if args.json:
        sys.stdout.write(runner.to_json(report) + "\n")
    elif args.markdown:
        sys.stdout.write(runner.markdown(report))
    else:
        from rich.console import Console

        console = Console()
        if not console.is_terminal:  # piped or redirected: do not squeeze the table into 80
            console = Console(width=180)
        console.print(runner.table(report))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        try:
            report = runner.report_from_json(Path(args.from_json).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return _usage(f"--from-json {args.from_json}: {exc}")
        _print(report, args)
        return EXIT_OK
    chosen = servers(args)
    if isinstance(chosen, str):
        return _usage(chosen)
    if "postgresql" in chosen:
        problem = _check_postgres(chosen["postgresql"])
        if problem:
            return _usage(problem)
    corpus = os.environ.get("TRACKER_CORPUS_DIR")
    ctx = Context(
        scale=args.scale,
        seed=args.seed,
        verbose=not args.quiet,
        corpus_dir=Path(corpus) if corpus else None,
    ).with_servers(chosen)
    names = runner.select(args.only)
    unknown = [n for n in names if n not in runner.available()]
    if args.only and unknown and len(unknown) == len(names):
        return _usage(
            f"no benchmark named {', '.join(unknown)} (have: {', '.join(runner.available())})"
        )
    report = runner.run_all(ctx, names, isolate=not args.in_process, timeout=args.timeout)
    _print(report, args)
    bad = any(m.status in ("FAIL", "error") for m in report.rows)
    return EXIT_FAILED if args.strict and bad else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
