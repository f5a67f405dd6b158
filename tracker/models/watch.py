"""Watchlists and digest state; search support."""

from __future__ import annotations
