"""The registered CLI commands, walked from the Typer app (shared by the CLI-wide tests)."""

from __future__ import annotations


def command_tree() -> list[tuple[list[str], object]]:
    """Every leaf command as (path, click command), e.g. (["watch", "add"], cmd)."""
    import typer.main

    from tracker.cli import app

    out: list[tuple[list[str], object]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk(sub, [*path, name])
        else:
            out.append((path, cmd))

    walk(typer.main.get_command(app), [])
    return out


def group_paths() -> list[list[str]]:
    import typer.main

    from tracker.cli import app

    out: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            out.append(path)
            for name, sub in sorted(subs.items()):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out
