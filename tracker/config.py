"""Settings: where the database lives and the knobs other modules read."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATABASE_URL = "TRACKER_DATABASE_URL"
ENV_DATA_DIR = "TRACKER_DATA_DIR"


def data_dir() -> Path:
    """The per-user data directory (platformdirs), overridable with TRACKER_DATA_DIR."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("tracker", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'tracker.db'}"


def database_url(explicit: str | None = None) -> str:
    """Resolve the database URL: --db, then TRACKER_DATABASE_URL, then the embedded SQLite file."""
    if explicit:
        return explicit
    env = os.environ.get(ENV_DATABASE_URL)
    if env:
        return env
    return default_database_url()


def package_dir() -> Path:
    return Path(__file__).resolve().parent


def _shipped_or_repo(shipped: str, repo: str) -> Path:
    """A top-level repo folder that the wheel ships inside the package under another name."""
    inside = package_dir() / shipped
    if inside.is_dir():
        return inside
    return package_dir().parent / repo


def migrations_dir() -> Path:
    return _shipped_or_repo("_migrations", "migrations")


def feeds_dir() -> Path:
    """The feed catalogue: default subscriptions (OPML) and our sample feeds."""
    return _shipped_or_repo("_feeds", "feeds")
