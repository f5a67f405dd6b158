"""The scheduling policy: adaptive intervals, exponential backoff with a cap, Retry-After,
and how long-failing feeds are labelled."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tracker.errors import UsageError
from tracker.ingest.schedule import Policy, backoff_seconds, health, next_interval

P = Policy()
NOW = datetime(2026, 6, 25, 12, 0)


def test_backoff_doubles_and_caps():
    assert [backoff_seconds(n, P) for n in (1, 2, 3, 4)] == [300, 600, 1200, 2400]
    assert backoff_seconds(30, P) == P.max_backoff == 86400


def test_retry_after_wins_when_later_and_is_capped():
    assert backoff_seconds(1, P, retry_after=7200) == 7200
    assert backoff_seconds(5, P, retry_after=10) == 300 * 16
    assert backoff_seconds(1, P, retry_after=10**9) == P.max_retry_after


def test_interval_follows_publishing_rate_within_bounds():
    assert next_interval(3600, [1800.0, 1800.0, 5400.0], 2, P) == 1800
    assert next_interval(3600, [60.0, 60.0], 5, P) == P.min_interval
    assert next_interval(3600, [10**7, 10**7], 0, P) == P.max_interval
    assert next_interval(3600, [], 3, P) == 2700  # new items, no dates: a bit sooner
    assert next_interval(3600, [], 0, P) == 5400  # nothing new: a bit later


def test_bounds_from_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_FEED_MIN_INTERVAL", "5m")
    monkeypatch.setenv("TRACKER_FEED_MAX_INTERVAL", "2h")
    p = Policy.from_env()
    assert (p.min_interval, p.max_interval) == (300, 7200)
    assert next_interval(3600, [], 0, p) == 5400 and next_interval(7200, [], 0, p) == 7200
    monkeypatch.setenv("TRACKER_FEED_MIN_INTERVAL", "soon")
    with pytest.raises(UsageError, match="TRACKER_FEED_MIN_INTERVAL"):
        Policy.from_env()


@pytest.mark.parametrize(
    ("failures", "since_days", "attempted", "active", "expected"),
    [
        (0, None, False, True, "new"),
        (0, 0, True, True, "ok"),
        (1, 0, True, True, "failing"),
        (5, 2, True, True, "failing"),
        (5, 4, True, True, "dead"),
        (2, 10, True, True, "failing"),  # too few attempts to call it dead
        (5, 4, True, False, "paused"),
    ],
)
def test_health_labels(failures, since_days, attempted, active, expected):
    since = NOW - timedelta(days=since_days) if since_days is not None else None
    label = health(
        active=active,
        failures=failures,
        last_success_at=since,
        created_at=NOW - timedelta(days=30),
        last_attempt_at=NOW if attempted else None,
        now=NOW,
    )
    assert label == expected
