"""The feeds and ingest commands: output, JSON, exit codes (0 ok, 1 some feeds failed,
2 could not run, 3 locked), logging, OPML round trip through the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tracker.config import feeds_dir
from tracker.ingest.lock import ingest_lock

FIX = Path(__file__).parent / "fixtures" / "ingest"
SAMPLES = feeds_dir() / "samples"


def test_every_command_has_help_with_an_example(cli):
    for args in (["feeds", "add"], ["feeds", "list"], ["feeds", "remove"], ["feeds", "import"],
                 ["feeds", "export"], ["ingest"]):  # fmt: skip
        result = cli(*args, "--help")
        assert result.code == 0 and "Example: tracker" in result.out, args
    assert "3 another ingest holds the lock" in cli("ingest", "--help").out


def test_ingest_samples_then_nothing_new(cli, db_url):
    first = cli("ingest", SAMPLES, "--db", db_url, "--json")
    assert first.code == 0, first.err
    data = json.loads(first.out)
    assert data["totals"] == {
        "errors": 0,
        "feeds": 3,
        "links": 0,
        "new": 15,
        "unchanged": 0,
        "updated": 0,
    }
    assert data["exit_code"] == 0 and data["status"] == "ok"
    table = cli("ingest", SAMPLES, "--db", db_url)
    assert table.code == 0
    assert "3 feeds, 0 new, 0 updated, 0 unchanged, 0 failed" in table.out
    assert "Capitol Wire: Tech Policy" in table.out and "not modified" in table.out


def test_some_feeds_failed_exits_1(cli, db_url, tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "good.xml").write_bytes((SAMPLES / "capitol-wire.xml").read_bytes())
    (folder / "bad.html").write_bytes((FIX / "not-a-feed.html").read_bytes())
    result = cli("ingest", folder, "--db", db_url)
    assert result.code == 1
    assert "1 failed" in result.out and "no entries" in result.out
    # not on a terminal: one plain log line per failure on stderr
    assert "status=error" in result.err and "bad.html" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/no/such/feed.xml"], "no such file or directory"),
        (["ingest", "--loop", "--every", "soon"], "not a duration"),
        (["ingest", "ftp://example.org/feed"], "unsupported URL scheme"),
        (["ingest", "--quiet", "--verbose"], "cannot be used together"),
        (["feeds", "add", "/no/such/file.xml"], "no such file or directory"),
        (["feeds", "add", str(SAMPLES)], "is a folder"),
        (["feeds", "remove", "nope"], "no feed 'nope'"),
        (["feeds", "import", str(FIX / "malformed-truncated.opml")], "not valid OPML"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, db_url, args, message):
    result = cli(*args, "--db", db_url)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err and result.err.count("\n") == 1 and "Traceback" not in result.err


def test_locked_database_exits_3(cli, db_url, backend):
    if backend != "sqlite":
        pytest.skip("the ingest lock is SQLite's; PostgreSQL workers share the work")
    engine = create_engine(db_url)
    with ingest_lock(engine):
        result = cli("ingest", SAMPLES, "--db", db_url)
    engine.dispose()
    assert result.code == 3
    assert "another ingest is running on this database" in result.err and "--wait" in result.err


def test_feeds_add_list_remove(cli, db_url):
    path = SAMPLES / "frontier-policy-review.atom"
    assert cli("feeds", "add", path, "--name", "FPR", "--tag", "Analysis", "--db", db_url).code == 0
    again = cli("feeds", "add", path, "--db", db_url)
    assert again.code == 2 and "already subscribed" in again.err
    assert cli("feeds", "add", FIX / "not-a-feed.html", "--db", db_url).code == 0
    assert cli("ingest", "--db", db_url).code == 1  # the due run: one ok, one failing

    listed = json.loads(cli("feeds", "list", "--db", db_url, "--json").out)
    assert [(f["name"], f["health"], f["items"], f["tags"]) for f in listed] == [
        ("FPR", "ok", 4, ["analysis"]),
        (None, "failing", 0, []),
    ]
    assert listed[1]["consecutive_failures"] == 1 and "no entries" in listed[1]["last_error"]
    table = cli("feeds", "list", "--db", db_url).out
    assert "FPR" in table and "#analysis" in table and "failing" in table
    assert "1 failure in a row" in table and "never pulled ok" in table
    failing = json.loads(cli("feeds", "list", "--failing", "--db", db_url, "--json").out)
    assert [f["name"] for f in failing] == [None]

    assert cli("feeds", "remove", "FPR", "--db", db_url).code == 0
    assert [f["name"] for f in json.loads(cli("feeds", "list", "--db", db_url, "--json").out)] == [
        None
    ]
    everything = json.loads(cli("feeds", "list", "--all", "--db", db_url, "--json").out)
    first = everything[0]
    assert (first["name"], first["health"], first["items"]) == ("FPR", "paused", 4)
    purge = cli("feeds", "remove", str(path), "--purge", "--db", db_url)
    assert purge.code == 0 and "4 stored articles" in purge.err


def test_feeds_export_import_round_trip(cli, db_url, tmp_path):
    assert cli("feeds", "import", feeds_dir() / "subscriptions.opml", "--db", db_url).code == 0
    out = tmp_path / "subs.opml"
    assert cli("feeds", "export", "-o", out, "--db", db_url).code == 0
    assert cli("feeds", "export", "--db", db_url).out == out.read_text()
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = cli("feeds", "import", out, "--db", other, "--json")
    assert json.loads(result.out)["added"] == 4
    assert cli("feeds", "export", "--db", other).out == out.read_text()


def test_log_file_gets_a_line_per_feed(cli, db_url, tmp_path):
    log = tmp_path / "logs" / "ingest.log"
    assert cli("ingest", SAMPLES, "--db", db_url, "--quiet", "--log-file", log).code == 0
    lines = log.read_text().splitlines()
    assert len(lines) == 3 and all("status=ok" in line and "url=file://" in line for line in lines)


def test_loop_runs_until_interrupted(db_url, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    code = "import sys; from tracker.cli import main; sys.exit(main(sys.argv[1:]))"
    log = tmp_path / "loop.log"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "ingest", str(SAMPLES), "--loop", "--every", "1s",
         "--quiet", "--log-file", str(log), "--db", db_url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= 6:  # two rounds of 3 feeds
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    lines = log.read_text().splitlines()
    assert len(lines) >= 6
    assert sum("status=ok" in x for x in lines[:3]) == 3
    assert all("status=not_modified" in x for x in lines[3:6])
    assert proc.returncode == 130, err
