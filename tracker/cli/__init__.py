"""The `tracker` command line: a thin layer over the library.

Each command parses its options, opens a session, makes one library call and renders the
result. Errors become one line on stderr and an exit code here, in main(), and nowhere else.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `from typing import ...`: typing alone is ~10 ms of a cold start
if TYPE_CHECKING:
    import typer

HELP_ARGS = ([], ["--help"], ["-h"])


def _build() -> typer.Typer:
    """Create `app` and `import_app` and import the command modules that register on them.

    Done on first use (see __getattr__) so that `tracker --help` can be answered from the
    help cache (tracker.cli.helpcache) without importing typer at all.
    """
    import typer

    g = globals()
    if "app" in g:
        return g["app"]
    app = typer.Typer(
        name="tracker",
        help="Track policy actors, measures and the news about them.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    import_app = typer.Typer(
        help="Import official data sets (legislators, bills, designation lists).",
        no_args_is_help=True,
    )
    app.add_typer(import_app, name="import")
    g["app"], g["import_app"] = app, import_app
    # Command modules register themselves on `app` / `import_app` when imported.
    from tracker.cli import feeds, legislation, linking, query, records, watch  # noqa: F401

    return app


def __getattr__(name: str) -> typer.Typer:
    if name in ("app", "import_app"):
        _build()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; the console script exits with it."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in HELP_ARGS and not os.environ.get("_TRACKER_COMPLETE"):
        from tracker.cli import helpcache

        try:
            if helpcache.print_cached(args):
                return EXIT_OK
        except BrokenPipeError:
            return EXIT_OK
        code, text = _run_captured(args)
        helpcache.store(args, code, text)
        return code
    return _run(args)


def _run_captured(args: list[str]) -> tuple[int, str]:
    """_run with stdout captured, then written out: the text becomes the help cache."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = _run(args)
    text = buf.getvalue()
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return code, text


def _run(args: list[str]) -> int:
    import typer

    from tracker.errors import TrackerError

    app = _build()
    try:
        result = app(args=args, prog_name="tracker", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _error("aborted")
        return 130
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # a bare group: show its help
            sys.stdout.write(exc.format_message() + "\n")
            return EXIT_OK
        _error(exc.format_message())
        return exc.exit_code or EXIT_USAGE
    except TrackerError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a traceback
        if os.environ.get("TRACKER_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set TRACKER_DEBUG=1 for details)")
        return EXIT_FAILURE
    return result if isinstance(result, int) else EXIT_OK


def _error(message: str) -> None:
    from tracker.render import error

    error(message)


def run() -> None:  # pragma: no cover - console-script entry
    sys.exit(main())
