"""docs/ingest.md stays true: every command line it shows names a real command, and every
option it passes exists in that command's --help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "ingest.md"


def command_lines() -> list[list[str]]:
    out = []
    for line in DOC.read_text().splitlines():
        m = re.search(r"(?:^|/|\s)tracker (feeds \w+|ingest)\b(.*)", line)
        if not m:
            continue
        rest = m.group(2).split("#")[0].split("&&")[0].split("`")[0]
        words = m.group(1).split() + [w for w in shlex.split(rest, posix=True) if w != "&"]
        out.append(words)
    return out


def test_documented_commands_and_options_exist(cli):
    lines = command_lines()
    assert len(lines) >= 15
    for words in lines:
        cmd = words[:2] if words[0] == "feeds" else words[:1]
        help_text = cli(*cmd, "--help").out
        assert "Usage:" in help_text, words
        for opt in (w.split("=")[0] for w in words if w.startswith("-")):
            assert opt in help_text, (words, opt)


def test_exit_codes_documented():
    text = DOC.read_text()
    for code, meaning in [("0", "every feed"), ("1", "some feeds failed"), ("2", "could not run"),
                          ("3", "another ingest holds")]:  # fmt: skip
        assert re.search(rf"\| {code} \| [^|]*{meaning}", text), code
    assert "OnUnitActiveSec=15min" in text and "*/15" in text  # systemd timer and cron
