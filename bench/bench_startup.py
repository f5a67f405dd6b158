"""Start-up: `tracker --help` in a fresh process, against bare Python and `import rich`.

Target (issue 5/6): `tracker --help` <= 0.15 s wall. The heavy libraries must stay out of
the help path (the CLI imports them inside the command functions); the second row lists any
that `tracker --help` loads, and where its import time goes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Context, Measurement, median, ratio, run_measured

TARGET_S = 0.15
HEAVY = (
    "sqlalchemy",
    "alembic",
    "feedparser",
    "httpx",
    "rich",
    "rapidfuzz",
    "yaml",
    "ahocorasick",
    "psycopg",
    "platformdirs",
    "tracker.models",
    "tracker.db",
)

# Runs the real entry point, then writes the names of every module it loaded to a file.
_PROBE = """
import sys
from tracker.cli import main
try:
    main(["--help"])
finally:
    with open({out!r}, "w") as fh:
        fh.write("\\n".join(sorted(sys.modules)))
"""


def tracker_command() -> list[str]:
    """The installed console script next to this Python, else the entry point by hand."""
    script = Path(sys.executable).with_name("tracker")
    if script.is_file():
        return [str(script), "--help"]
    found = shutil.which("tracker")
    if found:
        return [found, "--help"]
    return [
        sys.executable,
        "-c",
        "import sys; from tracker.cli import run; sys.argv=['tracker','--help']; run()",
    ]


def _walls(commands: list[list[str]], runs: int, env: dict[str, str]) -> list[list[float]]:
    """Wall times of each command, interleaved round by round so that a burst of load on
    this shared machine hits the baselines and ours alike."""
    out: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for argv, times in zip(commands, out, strict=True):
            wall, _peak, code = run_measured(argv, env=env, timeout=60)
            if code != 0:
                raise RuntimeError(f"{' '.join(argv)} exited with {code}")
            times.append(wall)
    return out


def heavy_imports(env: dict[str, str]) -> tuple[list[str], list[tuple[str, int]]]:
    """(heavy modules loaded by `tracker --help`, top cumulative import times in µs)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "modules.txt"
        probe = _PROBE.format(out=str(out))
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", probe],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        loaded = set(out.read_text().split()) if out.exists() else set()
    heavy = sorted(h for h in HEAVY if h in loaded)
    costs: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _self, cumulative, name = (x.strip() for x in line[12:].split("|"))
            if cumulative.isdigit() and "." not in name.strip():
                costs[name.strip()] = int(cumulative)
    top = sorted(costs.items(), key=lambda kv: -kv[1])[:5]
    return heavy, top


def run(ctx: Context) -> list[Measurement]:
    runs = 5 if ctx.scale == "tiny" else 9
    env = dict(os.environ, COLUMNS="100")
    py = sys.executable
    bare, rich, ours = _walls([[py, "-c", "pass"], [py, "-c", "import rich"], tracker_command()],
                              runs, env)  # fmt: skip
    ours_med = median(ours)
    spread = f"best {min(ours):.3f} s, median of {runs} runs"
    rows = [
        Measurement(
            "tracker --help cold start",
            "-",
            "python -c pass",
            median(bare),
            ours_med,
            "s",
            ratio(ours_med, median(bare)),
            f"<= {TARGET_S} s",
            ours_med <= TARGET_S,
            spread,
        ),
        Measurement(
            "tracker --help cold start",
            "-",
            'python -c "import rich"',
            median(rich),
            ours_med,
            "s",
            ratio(ours_med, median(rich)),
            f"<= {TARGET_S} s",
            ours_med <= TARGET_S,
            spread,
        ),
    ]
    heavy, top = heavy_imports(env)
    where = ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in top)
    rows.append(
        Measurement(
            "heavy modules imported by tracker --help",
            "-",
            "",
            None,
            float(len(heavy)),
            "modules",
            None,
            "none",
            not heavy,
            ("loads " + ", ".join(heavy) + "; " if heavy else "") + f"slowest imports: {where}",
        )
    )
    return rows
