"""Dates typed on the command line: ISO and partial dates, relative spans, today/yesterday."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import parse_date_arg
from tracker.errors import UsageError

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-09", date(2026, 6, 9)),
        ("2026-06", date(2026, 6, 1)),
        ("2026", date(2026, 1, 1)),
        ("June 2026", date(2026, 6, 1)),
        ("7d", date(2026, 11, 16)),
        ("2w", date(2026, 11, 9)),
        (" Today ", TODAY),
        ("yesterday", date(2026, 11, 22)),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_date_arg(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["yesterday-ish", "2026-13-01", "last week", "", "99999999d"])
def test_rejected_forms_say_what_is_accepted(text):
    with pytest.raises(UsageError) as exc:
        parse_date_arg(text, today=TODAY)
    message = str(exc.value)
    assert "\n" not in message and repr(text) in message
    if text in ("yesterday-ish", "last week"):  # unknown words: the accepted forms are listed
        assert "7d" in message and "yesterday" in message
