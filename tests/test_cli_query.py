"""The query commands end to end through tracker.cli.main: output, JSON, exit codes."""

from __future__ import annotations

import json

import pytest
from query_kb import build_kb
from sqlalchemy.orm import Session


@pytest.fixture
def kb_url(engine, db_url):
    with Session(engine, expire_on_commit=False) as s:
        build_kb(s, hostile=True)
        s.commit()
    return db_url


def test_timeline_table_and_json(cli, kb_url):
    res = cli("timeline", "--actor", "alibaba", "--db", kb_url)
    assert res.code == 0, res.err
    assert "Timeline · Alibaba Group (alibaba)" in res.out and "June 2026" in res.out
    assert "⚠ conflicting" in res.out
    data = json.loads(cli("timeline", "--actor", "alibaba", "--json", "--db", kb_url).out)
    assert [r["meaning"] for r in data["rows"]] == ["added", "filed", "occurred", "published"]
    assert data["rows"][0]["alternatives"][1]["sources"][0]["outlet"] == "Bloomberg"


def test_timeline_options(cli, kb_url):
    data = json.loads(
        cli("timeline", "--kind", "measure,letter", "--since", "2026-06-11", "--until", "June 2026",
            "--json", "--db", kb_url).out
    )  # fmt: skip
    assert {r["kind"] for r in data["rows"]} == {"measure", "letter"}
    assert data["since"] == "2026-06-11" and data["until"] == "2026-06-30"
    data = json.loads(
        cli("timeline", "--as-of", "2026-06-15", "--limit", "2", "--json", "--db", kb_url).out
    )
    assert data["as_of"] == "2026-06-15" and data["truncated"] and len(data["rows"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "--actor", "Zzyzx Quux Holdings"], "no actor"),
        (["timeline", "--since", "2026-13-40"], "--since: not a valid date"),
        (["timeline", "--until", "yesterday-ish"], "--until: not a valid date"),
        (["timeline", "--kind", "podcast"], "unknown kind 'podcast'"),
        (["timeline", "--limit", "0"], "--limit"),
        (["timeline", "--record", "no-such-record-anywhere"], "no record"),
        (["search", '"" ...'], "nothing to search for"),
        (["search", "x", "--kind", "memo"], "unknown kind"),
        (["incidents", "--sort", "bogus"], "--sort"),
        (["measures", "--status", "sleeping"], "unknown measure status"),
        (["export", "people"], "people"),
        (["export", "timeline", "--format", "pdf"], "pdf"),
        (
            ["export", "articles", "--as-of", "2026-06-01"],
            "--as-of apply to `export timeline` only",
        ),
        (["watch", "add", "Zzyzx Quux Holdings"], "no actor or record"),
        (["watch", "remove", "alibaba"], "not on the 'default' watchlist"),
        (["digest", "--since", "soon"], "--since"),
        (["timeline", "--bogus-flag"], "No such option"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, kb_url, args, message):
    res = cli(*args, "--db", kb_url)
    assert res.code == 2, (res.code, res.out, res.err)
    lines = res.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.err
    assert message in lines[0]
    assert "Traceback" not in res.out + res.err


def test_ambiguous_actor_lists_choices(cli, engine, kb_url):
    from tracker.models import Actor

    with Session(engine) as s:
        s.add_all([Actor(slug="kim-lee-a", name="Kim Lee", kind="person"),
                   Actor(slug="kim-lee-b", name="Kim Lee", kind="person")])  # fmt: skip
        s.commit()
    res = cli("timeline", "--actor", "Kim Lee", "--db", kb_url)
    assert res.code == 2 and "kim-lee-a" in res.err and "kim-lee-b" in res.err


def test_search_command(cli, kb_url):
    res = cli("search", "alibaba", "--kind", "article", "--db", kb_url)
    assert res.code == 0 and "Alibaba takes Pentagon to court" in res.out
    data = json.loads(cli("search", "court", "--json", "--db", kb_url).out)
    assert data["hits"][0]["title"] == "Alibaba takes Pentagon to court"
    assert set(data["hits"][0]["highlights"]) == {"court"}
    assert sorted(data["hits"][0]) == [
        "date",
        "highlights",
        "id",
        "kind",
        "outlet",
        "score",
        "slug",
        "snippet",
        "title",
        "url",
    ]


def test_record_table_commands(cli, kb_url):
    for cmd, expected in (("incidents", "nearly 28.8M"), ("letters", "Senators write"),
                          ("measures", "samdt1-119"), ("designations", "Section 1260H")):  # fmt: skip
        res = cli(cmd, "--db", kb_url)
        assert res.code == 0 and expected in res.out, (cmd, res.out, res.err)
    data = json.loads(cli("measures", "--sort", "title", "--json", "--db", kb_url).out)
    assert data["sort"] == "title" and data["rows"][0]["slug"] == "hagerty-kim-amendment"


def test_watch_and_digest_flow(cli, kb_url):
    assert cli("watch", "add", "alibaba", "--db", kb_url).code == 0
    again = cli("watch", "add", "alibaba", "--json", "--db", kb_url)
    assert json.loads(again.out)["created"] is False
    listed = json.loads(cli("watch", "list", "--json", "--db", kb_url).out)
    assert [w["slug"] for w in listed] == ["alibaba"]
    first = json.loads(cli("digest", "--json", "--db", kb_url).out)
    assert first["since_last_digest"] and first["counts"]["article"] == 2
    # That digest was recorded as read: the next one starts where it ended.
    second = json.loads(cli("digest", "--json", "--db", kb_url).out)
    assert second["since"] == first["until"] and second["items"] == []
    # An explicit --since looks back without moving the mark.
    back = json.loads(cli("digest", "--since", "2026-06-01", "--json", "--db", kb_url).out)
    assert back["counts"]["challenge"] == 1
    assert (
        json.loads(cli("digest", "--json", "--keep", "--db", kb_url).out)["since"]
        == second["until"]
    )
    table = cli("digest", "--since", "2026-06-01", "--db", kb_url)
    assert "Challenges (1)" in table.out and "New articles (2)" in table.out
    assert cli("watch", "remove", "Alibaba Group", "--db", kb_url).code == 0
    assert json.loads(cli("watch", "list", "--json", "--db", kb_url).out) == []


def test_export_to_file_and_stdout(cli, kb_url, tmp_path):
    target = tmp_path / "brief.md"
    res = cli("export", "timeline", "--actor", "alibaba", "-f", "md", "-o", target, "--db", kb_url)
    assert res.code == 0 and res.out == ""
    assert target.read_text(encoding="utf-8").startswith("# Timeline: Alibaba Group")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tracker-export-")]
    ics = cli("export", "timeline", "-f", "ics", "--db", kb_url)
    assert ics.code == 0 and ics.out.startswith("BEGIN:VCALENDAR")
    res = cli("export", "records", "-f", "csv", "--kind", "letter", "--db", kb_url)
    assert res.code == 0 and "senators-letter" in res.out
    res = cli(
        "export", "articles", "-f", "json", "-o", tmp_path / "missing" / "x.json", "--db", kb_url
    )
    assert res.code == 2 and res.err.startswith("error: cannot write")


def test_stats_command(cli, kb_url):
    res = cli("stats", "--db", kb_url)
    assert res.code == 0 and "links awaiting review" in res.out
    data = json.loads(cli("stats", "--json", "--db", kb_url).out)
    assert data["review"]["links"] == 1 and data["counts"]["articles"] == 3


def test_no_colour_when_not_a_terminal_or_no_color(cli, kb_url, monkeypatch):
    assert "\x1b" not in cli("timeline", "--db", kb_url).out
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("timeline", "--db", kb_url).out
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("timeline", "--db", kb_url).out
    assert "\x1b[3" not in plain  # no colour codes (bold/underline may remain)


def test_pager_option_is_harmless_off_a_terminal(cli, kb_url):
    assert cli("timeline", "--pager", "--db", kb_url).out == cli("timeline", "--db", kb_url).out
