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

_PREFIX = "help-"


def cache_dir() -> str:
    """TRACKER_CACHE_DIR, else the user cache dir platformdirs would give (not imported:
    it is one of the modules `tracker --help` must not load)."""
    env = os.environ.get("TRACKER_CACHE_DIR")
    if env:
        return env
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")
        return os.path.join(base, "tracker", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/tracker")
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    return os.path.join(base, "tracker")


def _stat_line(path: str) -> str:
    st = os.stat(path)
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns (what click wraps help to), without importing
    shutil, which costs ~8 ms."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def cache_key(args: list[str]) -> str:
    """Hash of everything the top-level help text depends on."""
    from importlib.machinery import PathFinder

    import tracker

    cli_dir = os.path.dirname(os.path.abspath(__file__))
    parts = [
        tracker.__version__,
        sys.version,
        "bare" if not args else "help",
        str(terminal_columns()),
    ]
    parts += [_stat_line(e.path) for e in sorted(os.scandir(cli_dir), key=lambda e: e.name)
              if e.name.endswith(".py")]  # fmt: skip
    spec = PathFinder.find_spec("typer")  # importlib.util would cost ~8 ms more
    parts.append(_stat_line(spec.origin) if spec and spec.origin else "no-typer")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def cache_file(args: list[str]) -> str:
    return os.path.join(cache_dir(), f"{_PREFIX}{cache_key(args)}.txt")


def print_cached(args: list[str]) -> bool:
    """Write the cached help for `args` to stdout; False (nothing written) on a miss."""
    try:
        with open(cache_file(args), encoding="utf-8") as fh:
            text = fh.read()
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
        folder = os.path.dirname(target)
        os.makedirs(folder, exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
        keep = {os.path.basename(target), os.path.basename(cache_file([] if args else ["-h"]))}
        for entry in os.scandir(folder):
            if entry.name.startswith(_PREFIX) and entry.name not in keep:
                os.unlink(entry.path)
    except Exception:  # a cache we cannot write is only a slower start
        pass
