"""The top-level help cache (tracker.cli.helpcache): same text as typer, refreshed when
anything it depends on changes, and never in the way when it is broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tracker
from tracker.cli import helpcache, main

_PROBE = (
    "import sys; from tracker.cli import main; rc = main({args!r}); "
    "sys.stdout.write('\\n@@' + str(rc) + ' ' + str('typer' in sys.modules))"
)


def _run(args: list[str], cache: str) -> tuple[str, int, bool]:
    """(help text, exit code, typer imported?) of main(args) in a fresh process."""
    env = dict(os.environ, TRACKER_CACHE_DIR=cache, COLUMNS="100")
    env.pop("_TRACKER_COMPLETE", None)
    res = subprocess.run(
        [sys.executable, "-c", _PROBE.format(args=args)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert res.stderr == ""
    text, _, tail = res.stdout.rpartition("\n@@")
    rc, typer_loaded = tail.split()
    return text, int(rc), typer_loaded == "True"


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_cached_help_is_identical_to_typers_output(tmp_path, args):
    live, code, typer_loaded = _run(args, str(tmp_path / "cache"))
    assert code == 0 and typer_loaded and live.startswith("Usage: tracker [OPTIONS] COMMAND")
    assert "Commands" in live and "import" in live
    cached, code2, typer_loaded2 = _run(args, str(tmp_path / "cache"))
    assert code2 == 0 and not typer_loaded2  # served from the cache, typer never imported
    assert cached == live
    # and the live text did not come from some other cache: a second empty dir agrees
    again, _, loaded = _run(args, str(tmp_path / "other"))
    assert loaded and again == live


def test_cache_is_refreshed_when_the_key_changes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["--help"]) == 0
    live = capsys.readouterr().out
    old = Path(helpcache.cache_file(["--help"]))
    assert old.read_text() == live
    old.write_text("Usage: stale text\n")  # what a stale entry would look like
    assert main(["--help"]) == 0
    assert capsys.readouterr().out == "Usage: stale text\n"  # the cache is what is served

    monkeypatch.setattr(tracker, "__version__", tracker.__version__ + ".post1")
    new = Path(helpcache.cache_file(["--help"]))
    assert new != old
    assert main(["--help"]) == 0
    assert capsys.readouterr().out == live  # a miss: the real help again, not the stale one
    assert new.read_text() == live and not old.exists()  # stored; the stale entry is gone

    monkeypatch.setenv("COLUMNS", "60")  # the width is part of the key, too
    narrow = Path(helpcache.cache_file(["--help"]))
    assert narrow != new
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert narrow.read_text() == out and max(len(line) for line in out.splitlines()) <= 60


def test_key_covers_the_cli_modules(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path))
    before = helpcache.cache_key(["--help"])
    real_stat = os.stat

    def touched(path, *a, **kw):  # as if a command module had been edited
        st = real_stat(path, *a, **kw)
        if str(path).endswith(os.path.join("cli", "records.py")):
            return os.stat_result((*st[:6], st[6] + 1, *st[7:]))
        return st

    monkeypatch.setattr(helpcache.os, "stat", touched)
    assert helpcache.cache_key(["--help"]) != before


@pytest.mark.parametrize("broken", ["empty", "unwritable"])
def test_a_broken_cache_falls_back_to_the_real_help(tmp_path, monkeypatch, capsys, broken):
    if broken == "empty":
        monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path))
        Path(helpcache.cache_file(["--help"])).write_text("")
    else:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv("TRACKER_CACHE_DIR", str(blocker / "cache"))
    assert main(["--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Usage: tracker [OPTIONS] COMMAND") and err == ""


@pytest.mark.parametrize("columns", [None, "0", "x", "57", "140"])
def test_terminal_columns_is_shutils(monkeypatch, columns):
    import shutil

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert helpcache.terminal_columns() == shutil.get_terminal_size().columns
