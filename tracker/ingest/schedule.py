"""When a feed is next due: adaptive intervals on success, exponential backoff on failure.

Pure functions over numbers and datetimes, so the policy is easy to test and to explain:

- success: the interval follows how often the feed publishes (the median gap between its
  newest items), clamped to [min, max]; with no usable dates it shrinks a little when new
  items arrived and grows when none did.
- failure: min_backoff · 2^(failures-1), capped; a Retry-After from the server (429/503)
  is honoured as the earliest next attempt (we never sleep on it).
- a feed failing for `long_failing` or longer is flagged, never silently dropped.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.dates import parse_duration
from tracker.errors import UsageError

ENV_MIN = "TRACKER_FEED_MIN_INTERVAL"
ENV_MAX = "TRACKER_FEED_MAX_INTERVAL"


@dataclass(frozen=True)
class Policy:
    min_interval: float = 15 * 60.0
    max_interval: float = 24 * 3600.0
    default_interval: float = 3600.0
    min_backoff: float = 5 * 60.0
    max_backoff: float = 24 * 3600.0
    max_retry_after: float = 7 * 24 * 3600.0
    long_failing: float = 3 * 24 * 3600.0

    @classmethod
    def from_env(cls) -> Policy:
        """Bounds from TRACKER_FEED_MIN_INTERVAL / TRACKER_FEED_MAX_INTERVAL (e.g. 10m, 12h)."""
        lo = _env_seconds(ENV_MIN, cls.min_interval)
        hi = _env_seconds(ENV_MAX, cls.max_interval)
        if lo > hi:
            raise UsageError(f"{ENV_MIN} is larger than {ENV_MAX}")
        return cls(min_interval=lo, max_interval=hi, default_interval=min(max(3600.0, lo), hi))


def _env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return parse_duration(value).total_seconds()
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None


def clamp(seconds: float, policy: Policy) -> int:
    return int(min(max(seconds, policy.min_interval), policy.max_interval))


def next_interval(current: int, gaps: list[float], new_items: int, policy: Policy) -> int:
    """The polling interval after a successful pull."""
    if len(gaps) >= 2:
        return clamp(statistics.median(gaps), policy)
    if new_items:
        return clamp(current * 0.75, policy)
    return clamp(current * 1.5, policy)


def backoff_seconds(failures: int, policy: Policy, retry_after: float | None = None) -> float:
    """Delay before retrying a feed that has failed `failures` times in a row."""
    delay = min(policy.min_backoff * 2 ** max(failures - 1, 0), policy.max_backoff)
    if retry_after:
        delay = max(delay, min(retry_after, policy.max_retry_after))
    return delay


def after_success(now: datetime, interval: int) -> datetime:
    return now + timedelta(seconds=interval)


def after_failure(
    now: datetime, failures: int, policy: Policy, retry_after: float | None = None
) -> datetime:
    return now + timedelta(seconds=backoff_seconds(failures, policy, retry_after))


def health(
    *,
    active: bool,
    failures: int,
    last_success_at: datetime | None,
    created_at: datetime | None,
    last_attempt_at: datetime | None,
    now: datetime,
    policy: Policy | None = None,
) -> str:
    """One word for a feed's state: new, ok, failing, dead (failing for a long time), paused."""
    policy = policy or Policy()
    if not active:
        return "paused"
    if failures == 0:
        return "ok" if last_attempt_at else "new"
    since = last_success_at or created_at or now
    if (now - since).total_seconds() >= policy.long_failing and failures >= 3:
        return "dead"
    return "failing"
