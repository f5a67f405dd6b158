"""JSON and CSV exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from tracker.export.entries import Document
from tracker.text import clean

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(doc: Document) -> str:
    from tracker.render import to_json as dump

    return dump(doc.data) + "\n"


def csv_cell(value: Any) -> str:
    """A CSV cell: controls and escapes removed, formula triggers neutralised with a quote."""
    if value is None:
        return ""
    text = clean(value, keep_newlines=True)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def to_csv(doc: Document) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(doc.columns)
    for row in doc.rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()
