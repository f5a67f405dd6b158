"""Feeds, articles (feed items) and the ingest log."""

from __future__ import annotations
