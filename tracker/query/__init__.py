"""Queries for policy staff: timelines, search, record tables, watchlists, digests, stats.

Each module exposes functions that take a session and return small frozen dataclasses;
rendering (tracker.render.*) and export (tracker.query.export) work from those values.
"""
