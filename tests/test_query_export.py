"""Exports: each format is valid for its consumers and escapes hostile text."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from query_kb import HOSTILE_TITLE, build_kb
from sqlalchemy.orm import Session

from tracker.dates import PartialDate
from tracker.export import export
from tracker.export.entries import Document, Entry
from tracker.export.ics import escape_text, fold, to_ics
from tracker.export.markdown import md_escape
from tracker.export.tabular import csv_cell
from tracker.query.common import SourceRef


@pytest.fixture
def s(engine):
    with Session(engine, expire_on_commit=False) as s:
        build_kb(s, hostile=True)
        s.commit()
        yield s


def unfold_ics(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def test_ics_is_well_formed(s):
    text = export(s, "timeline", "ics")
    lines = unfold_ics(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(ln.startswith("PRODID:") for ln in lines)
    events = text.count("BEGIN:VEVENT")
    assert events == text.count("END:VEVENT") == 13
    uids = [ln for ln in lines if ln.startswith("UID:")]
    assert len(set(uids)) == events
    assert all(
        re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", ln) for ln in lines if ln.startswith("DTSTART")
    )
    # Property names are the only thing before the first colon: escaping kept the rest in the value.
    for ln in lines:
        assert re.match(r"^[A-Z-]+(;[A-Z-]+=[^:;]+)*:", ln), ln
    memo = next(ln for ln in lines if ln.startswith("SUMMARY:White House memo"))
    assert memo == "SUMMARY:White House memo on distillation (April 2026\\, exact day unknown)"
    assert any("[sources disagree]" in ln for ln in lines if ln.startswith("SUMMARY:"))
    assert "\x1b" not in text and "\u202e" not in text


def test_ics_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    doc = Document("timeline", "T", (Entry("k", "event", "x", None),), {}, (), ())
    assert "BEGIN:VEVENT" not in to_ics(doc)  # undated entries have no place in a calendar


def test_atom_is_valid_for_feed_readers(s):
    import feedparser

    for what in ("timeline", "articles", "records"):
        text = export(s, what, "atom")
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        parsed = feedparser.parse(text)
        assert not parsed.bozo, (what, parsed.get("bozo_exception"))
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)) > 0
        assert all(e.get("updated") for e in parsed.entries)
    articles = feedparser.parse(export(s, "articles", "atom"))
    titles = {e.title for e in articles.entries}
    assert "[bold]Boom[/bold] red link evil" in titles
    assert "Alibaba takes Pentagon to court" in titles


def test_json_exports(s):
    tl = json.loads(export(s, "timeline", "json", actor="alibaba"))
    assert tl["actor"] == "alibaba" and len(tl["rows"]) == 4
    recs = json.loads(export(s, "records", "json", kinds=("measure",)))
    assert [r["slug"] for r in recs["records"]] == ["hagerty-kim-amendment"]
    arts = json.loads(export(s, "articles", "json", actor="alibaba"))
    assert [a["title"] for a in arts] == [
        "Alibaba takes Pentagon to court",
        "Alibaba sues the Pentagon over listing",
    ]
    assert arts[0]["actors"] == [
        {
            "kind": "company",
            "name": "Alibaba Group",
            "score": 1.0,
            "slug": "alibaba",
            "status": "auto",
        }
    ]
    # JSON keeps the original text (escaped as JSON): scripts decide what to do with it.
    everything = json.loads(export(s, "articles", "json"))
    assert HOSTILE_TITLE in [a["title"] for a in everything]


def test_csv_export_and_formula_injection(s):
    rows = list(csv.reader(io.StringIO(export(s, "timeline", "csv"))))
    assert rows[0] == [
        "date",
        "precision",
        "kind",
        "meaning",
        "title",
        "record",
        "detail",
        "conflicting",
        "sources",
    ]
    assert len(rows) == 14
    assert rows[2][:4] == ["2026-04", "month", "event", "occurred"]
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_cell("-1+2") == "'-1+2"
    assert csv_cell("\x1b[31mred") == "red"


def test_markdown_briefing(s):
    md = export(s, "timeline", "md", since=date(2026, 6, 1))
    assert md.startswith("# Timeline: everything\n")
    assert "## June 2026" in md and "## April 2026" not in md
    assert "\\[bold\\]Boom\\[/bold\\] red link evil" in md
    assert "\x1b" not in md and "\u202e" not in md
    notes = re.findall(r"^\[\^(\d+)\]: (.*)$", md, re.M)
    assert [n for n, _ in notes] == [str(i) for i in range(1, len(notes) + 1)]
    assert (
        "1",
        "Reuters, Pentagon lists Alibaba, 2026-06-08 <https://example.com/r/1260h>",
    ) in notes
    body = md.split("## Sources")[0]
    for n, _ in notes:
        assert f"[^{n}]" in body
    assert "**⚠ sources disagree**" in md


def test_md_escape_and_unsafe_urls():
    assert md_escape("[x](javascript:alert(1)) <img src=x> *b* _i_ `c`") == (
        "\\[x\\]\\(javascript:alert\\(1\\)\\) \\<img src=x\\> \\*b\\* \\_i\\_ \\`c\\`"
    )
    from tracker.export.markdown import to_markdown

    src = SourceRef("t", "javascript:alert(1)", "o", None)
    doc = Document(
        "timeline",
        "T",
        (Entry("k", "event", "x", PartialDate(date(2026, 1, 2)), sources=(src,)),),
        {},
        (),
        (),
    )
    md = to_markdown(doc)
    assert "javascript" not in md and "[^1]: o, t" in md


def test_bad_export_requests(s):
    from tracker.errors import UsageError

    with pytest.raises(UsageError):
        export(s, "people", "json")
    with pytest.raises(UsageError):
        export(s, "timeline", "pdf")
