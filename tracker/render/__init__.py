"""Output: the only package that imports rich. Views return renderables; emit() prints them.

Data that came from outside (feeds, files, user input) is never interpreted as Rich markup:
views build rich.text.Text objects from it, after tracker.text.clean() has removed terminal
escape sequences, control characters and bidi overrides.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console, RenderableType
from rich.text import Text

from tracker.text import clean


def console(*, stderr: bool = False) -> Console:
    """A console for stdout/stderr: colour only on a terminal, NO_COLOR respected (by Rich)."""
    width = None
    if not (sys.stderr if stderr else sys.stdout).isatty():
        width = int(os.environ.get("COLUMNS", "0") or 0) or 100
    return Console(stderr=stderr, width=width, highlight=False, emoji=False, markup=False)


def safe(value: object, style: str | None = None, *, keep_newlines: bool = False) -> Text:
    """Untrusted text as a literal Text (never parsed as markup), cleaned of escapes."""
    return Text(clean(value, keep_newlines=keep_newlines), style=style or "")


def emit(*renderables: RenderableType, pager: bool = False) -> None:
    out = console()
    if pager and out.is_terminal:
        with out.pager(styles=True):
            for r in renderables:
                out.print(r)
        return
    for r in renderables:
        out.print(r)


def _default(obj: Any) -> Any:
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if hasattr(obj, "iso"):
        return obj.iso()
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if hasattr(obj, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(obj)
    return str(obj)


def to_json(data: Any) -> str:
    """Stable JSON: sorted keys, ISO dates, UTF-8 (escapes and controls stay JSON-escaped)."""
    return json.dumps(data, default=_default, indent=2, sort_keys=True, ensure_ascii=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    """One line on stderr."""
    err = console(stderr=True)
    line = Text("error: ", style="bold red")
    line.append(clean(message))
    err.print(line, soft_wrap=True)


def note(message: str) -> None:
    console(stderr=True).print(safe(message, "dim"), soft_wrap=True)
