"""Hostile feed text reaches the terminal as inert characters: exact bytes asserted."""

from __future__ import annotations

import re

import pytest
from query_kb import HOSTILE_TITLE, build_kb
from sqlalchemy.orm import Session

from tracker.models.feeds import Article

# What clean() leaves of HOSTILE_TITLE: markup kept as literal text, escapes and bidi gone.
SHOWN = "[bold]Boom[/bold] red link evil"


@pytest.fixture
def kb_url(engine, db_url):
    with Session(engine, expire_on_commit=False) as s:
        build_kb(s, hostile=True)
        s.commit()
    return db_url


def test_timeline_writes_exactly_these_bytes(cli, kb_url):
    res = cli("timeline", "--kind", "article", "--db", kb_url)
    assert res.code == 0
    rule = "─" * 68
    expected = (
        "Timeline\n"
        + " " * 70 + "\n"
        + " Date        Kind      What                              Sources      \n"
        + f" {rule} \n"
        + " June 2026                                                            \n"
        + f" Jun 11      article   {SHOWN}   Bloomberg    \n"
        + "                       published                                      \n"
        + " Jun 23      article   Alibaba sues the Pentagon         Reuters Tech \n"
        + "                       published                         Bloomberg    \n"
        + " " * 70 + "\n"
    )  # fmt: skip
    assert res.out.encode("utf-8") == expected.encode("utf-8")


HOSTILE_VARIANTS = [
    "[link=https://evil.example]click[/link] me",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H cleared",
    "\x9b31m eight-bit CSI",
    "tab\there\rreturn\x01soh\x07bell\x7fdel",  # (PostgreSQL text cannot hold NUL)
    "rlo \u202etxt.exe\u202c and isolate \u2066x\u2069",
    "[/] unbalanced [bold",
    "\x1bP+q544e\x1b\\ DCS",
]


@pytest.mark.parametrize("title", HOSTILE_VARIANTS)
def test_no_command_passes_escapes_or_markup_through(cli, engine, kb_url, title, monkeypatch):
    with Session(engine) as s:
        art = s.get(Article, 3)
        art.title = title
        art.summary_text = title + " Alibaba"
        s.commit()
    monkeypatch.setenv("FORCE_COLOR", "1")  # even on a "terminal" with colour
    for args in (["timeline", "--kind", "article"], ["search", "alibaba OR here OR me OR cleared OR txt"],
                 ["export", "articles", "-f", "md"], ["export", "articles", "-f", "atom"],
                 ["export", "articles", "-f", "ics"], ["export", "articles", "-f", "csv"]):  # fmt: skip
        res = cli(*args, "--db", kb_url)
        assert res.code == 0, (args, res.err)
        # Only Rich's own colour codes (SGR) may remain; nothing from the title.
        residue = re.sub(r"\x1b\[[0-9;]*m", "", res.out)
        for bad in ("\x1b", "\x9b", "\x07", "\x01", "\x7f", "\u202e", "\u2066", "evil.example\x1b"):
            assert bad not in residue, (args, bad, residue)


def test_clean_text_is_what_the_terminal_shows():
    from tracker.text import clean

    assert clean(HOSTILE_TITLE) == SHOWN
