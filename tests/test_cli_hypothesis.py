"""Random command lines never produce a traceback: only exit codes 0, 1, 2 or 3.

Commands and their options come from the registered CLI; values are drawn from dates,
numbers, names, flag values and hostile text. Network access is pointed at a closed port
so nothing leaves the machine; files are written only under the test's directory.
"""

from __future__ import annotations

import pytest
from cli_commands import command_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from query_kb import build_kb
from sqlalchemy.orm import Session

QUERY_COMMANDS = {"timeline", "search", "incidents", "letters", "measures", "designations",
                  "watch add", "watch list", "watch remove", "digest", "export", "stats"}  # fmt: skip
# Options that would keep a command running (polling loops, waiting for a lock).
BLOCKING = {"--loop", "--wait", "--every"}
# Commands that are slow or touch the network by design; they get help/usage checks only.
SLOW = {"demo", "ingest"}

TREE = {" ".join(path): cmd for path, cmd in command_tree()}

VALUES = st.one_of(
    st.sampled_from(
        [
            "alibaba",
            "Alibaba Grop",
            "alibaba-1260h",
            "Kim",
            "2026",
            "2026-06",
            "2026-06-08",
            "June 2026",
            "7d",
            "2w",
            "0d",
            "99999y",
            "2026-13-01",
            "2026-02-30",
            "-1",
            "0",
            "1",
            "1000001",
            "incident",
            "article",
            "event,article",
            "json",
            "csv",
            "ics",
            "md",
            "atom",
            "timeline",
            "records",
            "articles",
            "title",
            "exchanges",
            "last-action",
            "challenged",
            "default",
            "",
            " ",
            "--",
            "-",
            "*",
            '"',
            "OR",
            "-court",
            "[bold]x[/bold]",
            "\x1b[31mred",
            "\u202eevil",
            "a" * 300,
            "out.txt",
            "sub/out.txt",
        ]
    ),
    st.text(min_size=0, max_size=12).filter(lambda t: "\x00" not in t and "." not in t),
)


def _options(cmd: object) -> list[str]:
    out = []
    for p in getattr(cmd, "params", []):
        out += [
            o
            for o in getattr(p, "opts", [])
            if o.startswith("-") and o not in BLOCKING and o != "--db"
        ]
    return [*out, "--help", "--bogus"]


@st.composite
def command_lines(draw, commands):  # type: ignore[no-untyped-def]
    name = draw(st.sampled_from(sorted(commands)))
    opts = _options(TREE[name])
    tokens = draw(st.lists(st.one_of(st.sampled_from(opts), VALUES), max_size=6))
    return [*name.split(), *tokens]


@pytest.fixture
def world(engine, db_url, monkeypatch, tmp_path):
    with Session(engine, expire_on_commit=False) as s:
        build_kb(s, hostile=True)
        s.commit()
    monkeypatch.chdir(tmp_path)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    return db_url


def _check(cli, argv, *, strict: bool) -> None:  # type: ignore[no-untyped-def]
    res = cli(*argv)
    assert res.code in (0, 1, 2, 3), (argv, res.code, res.err)
    assert "Traceback" not in res.out + res.err, (argv, res.err)
    if res.code != 0:
        assert res.err.strip(), (argv, "a failure must say why")
    if strict:
        assert "internal error" not in res.err, (argv, res.err)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(argv=command_lines(QUERY_COMMANDS))
def test_query_commands_never_crash(cli, world, argv):
    _check(cli, argv, strict=True)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(argv=command_lines(set(TREE) - SLOW))
def test_every_command_exits_cleanly(cli, world, argv):
    _check(cli, argv, strict=False)
