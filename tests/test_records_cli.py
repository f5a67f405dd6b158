"""tracker load / show / demo end to end through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def test_demo_twice_then_show_alibaba_has_both_dates_and_sources(cli, db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    first = cli("demo", "--db", db_url)
    assert first.code == 0, first.err
    assert "Alibaba added to the Pentagon's Section 1260H list" in first.out
    assert "demo records loaded" in first.err
    second = cli("demo", "--db", db_url)
    assert second.code == 0 and "already up to date" in second.err

    res = cli("show", "alibaba", "--db", db_url)
    assert res.code == 0, res.err
    out = " ".join(res.out.split())
    assert "Alibaba Group" in out
    assert "alibaba-1260h-designation" in out
    assert (
        "June 8, 2026 — Anthropic Tells Senate Alibaba Stole Claude's Capabilities (The Pentagon Dimension)"
        in out
    )
    assert (
        "June 9, 2026 — Anthropic Tells Senate Alibaba Stole Claude's Capabilities (TL;DR)" in out
    )
    assert "⚠ sources disagree" in out


def test_show_record_lists_fields_related_timeline_and_sources(cli, db_url):
    assert cli("demo", "--db", db_url).code == 0
    res = cli("show", "anthropic-letter-senate-banking-2026-06", "--db", db_url)
    assert res.code == 0, res.err
    out = " ".join(res.out.split())
    for expected in (
        "sent June 10, 2026 (3 sources)",
        "made public June 24, 2026 (1 source)",
        "Asks",
        "recipient Tim Scott (tim-scott)",
        "about Distillation campaign against Claude attributed to Alibaba's Qwen lab",
        "Timeline",
        "Sources",
        "Prism: Anthropic accuses Alibaba of stealing Claude AI capabilities",
    ):
        assert expected in out, expected


def test_show_as_of_sees_the_past(cli, db_url, tmp_path):
    text = (FIXTURES / "example.yaml").read_text(encoding="utf-8")
    path = tmp_path / "ex.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli("load", path, "--db", db_url).code == 0
    now = cli("show", "example-campaign", "--db", db_url, "--json")
    past = cli("show", "example-campaign", "--db", db_url, "--json", "--as-of", "2026-06-01")
    assert now.code == past.code == 0
    assert {f["field"] for f in json.loads(now.out)["fields"]} >= {"status", "disclosed_on"}
    assert json.loads(past.out)["fields"] == []
    assert json.loads(past.out)["as_of"] == "2026-06-01"


def test_demo_links_sample_articles_and_show_as_of_hides_later_ones(cli, db_url):
    assert cli("demo", "--db", db_url).code == 0
    now = json.loads(cli("show", "alibaba", "--db", db_url, "--json").out)
    past = json.loads(cli("show", "alibaba", "--db", db_url, "--json", "--as-of", "2026-06-15").out)
    dates_now = [a["published"] for a in now["articles"]]
    dates_past = [a["published"] for a in past["articles"]]
    # the bundled sample feeds were ingested and linked to Alibaba by the demo
    assert dates_now and max(dates_now) > "2026-06-15"
    assert dates_past and all(d <= "2026-06-15" for d in dates_past)
    assert set(dates_past) < set(dates_now)


def test_show_unknown_name_exits_2_with_suggestions(cli, db_url):
    assert cli("demo", "--db", db_url).code == 0
    res = cli("show", "alibabq designaton", "--db", db_url)
    assert res.code == 2
    assert res.out == ""
    lines = res.err.strip().splitlines()
    assert len(lines) == 1
    assert "no actor or record matches 'alibabq designaton'" in lines[0]
    assert "did you mean: alibaba-1260h-designation" in lines[0]


def test_show_json_is_stable_and_parseable(cli, db_url):
    assert cli("demo", "--db", db_url).code == 0
    one = cli("show", "alibaba-1260h-designation", "--json", "--db", db_url)
    two = cli("show", "alibaba-1260h-designation", "--json", "--db", db_url)
    assert one.code == 0 and one.out == two.out
    data = json.loads(one.out)
    assert data["type"] == "record" and data["kind"] == "designation"
    added = next(f for f in data["fields"] if f["field"] == "added_on")
    assert added["conflicting"] is True
    assert [(c["value"], c["locator"]) for c in added["claims"]] == [
        ("2026-06-08", "The Pentagon Dimension"),
        ("2026-06-09", "TL;DR"),
    ]
    actor = json.loads(cli("show", "Pentagon", "--json", "--db", db_url).out)
    assert actor["type"] == "actor" and actor["slug"] == "dod"
    assert "alibaba-1260h-designation" in [r["ref"]["slug"] for r in actor["records"]]


def test_hostile_yaml_strings_render_literally(cli, db_url, tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(
        'sources:\n  - {slug: s, title: "[link=https://evil.example]click[/link]"}\n'
        "events:\n"
        '  - slug: hostile\n    title: "[bold red]PWNED[/] \\e[31mred\\e[0m \\e]8;;x\\a"\n'
        "    event_type: memo\n    occurred_on: 2026-06-01\n"
        '    summary: "Tab\\tand \\u202Ereversed"\n    sources: [s]\n',
        encoding="utf-8",
    )
    assert cli("load", path, "--db", db_url).code == 0
    res = cli("show", "hostile", "--db", db_url)
    assert res.code == 0, res.err
    assert "[bold red]PWNED[/] red" in res.out
    assert "[link=https://evil.example]click[/link]" in res.out
    assert "Tab and reversed" in res.out
    assert "\x1b" not in res.out and "\u202e" not in res.out and "\x07" not in res.out


def test_load_bad_file_is_one_line_exit_2_and_loads_nothing(cli, db_url, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text((FIXTURES / "example.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "letters:\n  - {slug: l, title: L, sent_on: 2026-13-01, sources: [x]}\n", encoding="utf-8"
    )
    res = cli("load", good, bad, "--db", db_url)
    assert res.code == 2
    assert res.err.strip().count("\n") == 0
    assert "bad.yaml: letters[0] (l): sent_on: not a valid date" in res.err
    assert cli("show", "example-campaign", "--db", db_url).code == 2  # nothing was written
    missing = cli("load", tmp_path / "missing.yaml", "--db", db_url)
    assert missing.code == 2 and "cannot read" in missing.err


def test_load_reports_unchanged_on_second_run(cli, db_url):
    path = FIXTURES / "example.yaml"
    first = json.loads(cli("load", path, "--json", "--db", db_url).out)
    second = json.loads(cli("load", path, "--json", "--db", db_url).out)
    assert first["changed"] is True and first["records_created"] == 5
    assert second["changed"] is False and second["claims_added"] == 0
