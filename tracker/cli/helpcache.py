"""The top-level help (`tracker`, `tracker -h/--help`) served from a cache file.

Importing typer and building every command costs ~0.1 s, most of a cold start. The text
typer printed the last time is kept in the user cache dir under a key made of everything
that can change it: tracker's and Python's versions, the size and mtime of every CLI module
and of typer, the terminal width and the arguments. A different key is a miss: the caller
runs the real CLI, prints its output and stores it. Any problem with the cache is a miss.
Only stdlib here, and nothing that is slow to import.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

_PREFIX = "help-"


def cache_dir() -> Path:
    """TRACKER_CACHE_DIR, else the user cache dir platformdirs would give (not imported:
    it is one of the modules `tracker --help` must not load)."""
    env = os.environ.get("TRACKER_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "tracker" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "tracker"
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "tracker"


def _stat_line(path: str) -> str:
    st = os.stat(path)
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def cache_key(args: list[str]) -> str:
    """Hash of everything the top-level help text depends on."""
    import shutil
    from importlib.util import find_spec

    import tracker

    cli_dir = os.path.dirname(os.path.abspath(__file__))
    parts = [
        tracker.__version__,
        sys.version,
        sys.executable,
        "bare" if not args else "help",
        str(shutil.get_terminal_size().columns),
    ]
    parts += [_stat_line(e.path) for e in sorted(os.scandir(cli_dir), key=lambda e: e.name)
              if e.name.endswith(".py")]  # fmt: skip
    spec = find_spec("typer")
    parts.append(_stat_line(spec.origin) if spec and spec.origin else "no-typer")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def cache_file(args: list[str]) -> Path:
    return cache_dir() / f"{_PREFIX}{cache_key(args)}.txt"


def print_cached(args: list[str]) -> bool:
    """Write the cached help for `args` to stdout; False (nothing written) on a miss."""
    try:
        text = cache_file(args).read_text(encoding="utf-8")
        text.encode(sys.stdout.encoding or "utf-8")  # a terminal that cannot show it: miss
    except Exception:  # whatever went wrong, the real CLI answers instead
        return False
    if not text.startswith("Usage:"):
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def store(args: list[str], code: int, text: str) -> None:
    """Keep `text` as the help for `args` if the run succeeded; drop stale entries."""
    if code != 0 or not text.startswith("Usage:"):
        return
    try:
        target = cache_file(args)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        keep = {target.name, cache_file([] if args else ["--help"]).name}
        for entry in os.scandir(target.parent):
            if entry.name.startswith(_PREFIX) and entry.name not in keep:
                os.unlink(entry.path)
    except Exception:  # a cache we cannot write is only a slower start
        pass
