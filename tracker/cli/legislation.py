"""CLI commands: legislation (registered on tracker.cli.app when imported)."""

from __future__ import annotations
