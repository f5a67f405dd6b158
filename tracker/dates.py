"""Partial dates ("2026", "April 2026", "2026-04-22") that keep their precision.

A partial date is stored as two columns: the first day it covers and its precision.
Ordering uses the first day, so "April 2026" sorts before "2026-04-22" when both
start on the same day only if the day is later, which is what a timeline wants.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from tracker.errors import UsageError

PRECISIONS = ("day", "month", "year")

_MONTHS = {
    name.lower(): i
    for i, name in enumerate(calendar.month_name)
    if name
} | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_RELATIVE = re.compile(r"^(\d+)\s*([dwmy])$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to day, month or year precision."""

    start: date
    precision: str = "day"

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")

    @property
    def end(self) -> date:
        """The last day this partial date covers."""
        if self.precision == "day":
            return self.start
        if self.precision == "month":
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def human(self) -> str:
        if self.precision == "year":
            return str(self.start.year)
        if self.precision == "month":
            return self.start.strftime("%B %Y")
        return f"{self.start.strftime('%B')} {self.start.day}, {self.start.year}"

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def of(cls, value: object) -> PartialDate | None:
        """Coerce YAML/JSON values: None, date, datetime, PartialDate or a string."""
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime):
            return cls(value.date(), "day")
        if isinstance(value, date):
            return cls(value, "day")
        if isinstance(value, int) and 1000 <= value <= 9999:
            return cls(date(value, 1, 1), "year")
        if isinstance(value, str):
            return parse_partial(value)
        raise UsageError(f"not a date: {value!r}")


def _build(year: int, month: int | None, day: int | None, text: str) -> PartialDate:
    try:
        if month is None:
            return PartialDate(date(year, 1, 1), "year")
        if day is None:
            return PartialDate(date(year, month, 1), "month")
        return PartialDate(date(year, month, day), "day")
    except ValueError:
        raise UsageError(f"not a valid date: {text!r}") from None


def _month(name: str, text: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise UsageError(f"not a valid date: {text!r} (unknown month {name!r})")
    return month


def parse_partial(text: str) -> PartialDate:
    """Parse "2026", "2026-04", "2026-04-22", "April 2026", "Apr 22, 2026", "22 April 2026"."""
    s = " ".join(str(text).split())
    m = _ISO.match(s)
    if m:
        y, mo, d = m.groups()
        return _build(int(y), int(mo) if mo else None, int(d) if d else None, s)
    m = _MONTH_YEAR.match(s)
    if m:
        return _build(int(m.group(2)), _month(m.group(1), s), None, s)
    m = _MONTH_DAY_YEAR.match(s)
    if m:
        return _build(int(m.group(3)), _month(m.group(1), s), int(m.group(2)), s)
    m = _DAY_MONTH_YEAR.match(s)
    if m:
        return _build(int(m.group(3)), _month(m.group(2), s), int(m.group(1)), s)
    raise UsageError(f"not a valid date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")


def parse_date_arg(text: str, *, today: date | None = None) -> date:
    """A CLI date: an ISO/partial date (its first day), a relative span like 7d, 2w, 3m,
    1y, or "today" / "yesterday"."""
    s = text.strip().lower()
    if s in ("today", "yesterday"):
        today = today or datetime.now(timezone.utc).date()
        return today - timedelta(days=1 if s == "yesterday" else 0)
    m = _RELATIVE.match(s)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        today = today or datetime.now(timezone.utc).date()
        days = {"d": 1, "w": 7, "m": 30, "y": 365}[unit] * n
        try:
            return today - timedelta(days=days)
        except OverflowError:
            raise UsageError(f"date span too large: {text!r}") from None
    try:
        return parse_partial(text).start
    except UsageError as exc:
        if "(use YYYY" not in str(exc):
            raise
        raise UsageError(
            f"not a valid date: {text!r} (use YYYY-MM-DD, YYYY-MM, YYYY, "
            "a span such as 7d or 2w, today or yesterday)"
        ) from None


def parse_duration(text: str) -> timedelta:
    """A duration such as 90s, 15m, 2h, 1d."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", text.lower())
    if not m:
        raise UsageError(f"not a duration: {text!r} (use e.g. 90s, 15m, 2h, 1d)")
    n, unit = int(m.group(1)), m.group(2)
    seconds = n * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds <= 0 or seconds > 366 * 86400:
        raise UsageError(f"duration out of range: {text!r}")
    return timedelta(seconds=seconds)


def utcnow() -> datetime:
    """Naive UTC now: every timestamp tracker stores is UTC without tzinfo (portable across backends)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
