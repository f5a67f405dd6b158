"""Official legislative data beyond the core measure tables."""

from __future__ import annotations
