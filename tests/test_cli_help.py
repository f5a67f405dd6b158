"""Every command documents itself: --help works and shows an example; help is fast to load."""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_commands import command_tree, group_paths

COMMANDS = [" ".join(path) for path, _ in command_tree()]
HEAVY = ("sqlalchemy", "feedparser", "httpx", "rapidfuzz", "alembic", "rich", "psycopg", "yaml")


def test_the_command_list_is_not_empty():
    for expected in ("timeline", "search", "incidents", "letters", "measures", "designations",
                     "watch add", "watch list", "watch remove", "digest", "export", "stats"):  # fmt: skip
        assert expected in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli, command):
    res = cli(*command.split(), "--help")
    assert res.code == 0, res.err
    assert "Usage: tracker " + command in res.out
    example = [ln.strip() for ln in res.out.splitlines() if ln.strip().startswith("Example:")]
    assert example, f"`tracker {command} --help` has no Example: line"
    assert example[0].startswith(f"Example: tracker {command}"), example[0]


@pytest.mark.parametrize("group", [" ".join(p) for p in group_paths()])
def test_groups_list_their_commands(cli, group):
    res = cli(*group.split(), "--help") if group else cli("--help")
    assert res.code == 0 and "Commands" in res.out


def test_help_imports_no_database_or_feed_library():
    code = (
        "import sys; from tracker.cli import main; rc = main(['--help']); "
        f"print(rc, sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().splitlines()[-1] == "0 []"


@pytest.mark.parametrize(
    "command", ["timeline", "search", "export", "digest", "watch add", "stats"]
)
def test_command_help_is_lazy_too(command):
    args = [*command.split(), "--help"]
    code = (
        f"import sys; from tracker.cli import main; rc = main({args!r}); "
        "print(rc, sorted(m for m in ('sqlalchemy', 'feedparser', 'httpx', 'rapidfuzz') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.strip().splitlines()[-1] == "0 []", res.stdout + res.stderr
