"""One small exception hierarchy; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class for every error tracker reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # one line, always
        return " ".join(self.message.split())


class UsageError(TrackerError):
    """The user asked for something malformed (bad date, unknown option value)."""

    exit_code = 2


class NotFound(UsageError):
    """A named actor, record or feed does not exist."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        if self.suggestions:
            message = f"{message} (did you mean: {', '.join(self.suggestions)}?)"
        super().__init__(message)


class Ambiguous(UsageError):
    """A name matches several things equally well; we list them instead of guessing."""

    def __init__(self, message: str, choices: list[str]) -> None:
        self.choices = list(choices)
        super().__init__(f"{message}: {', '.join(self.choices)}")


class ValidationError(UsageError):
    """Input data (a YAML file, an import row) fails validation; nothing was written."""


class DatabaseError(TrackerError):
    """The database cannot be reached, or its schema is not what tracker expects."""


class FetchError(TrackerError):
    """A feed could not be fetched (network, HTTP status, size limits)."""


class ParseError(TrackerError):
    """A feed or import file could not be parsed."""


class LockedError(TrackerError):
    """Another process holds the lock this operation needs."""

    exit_code = 3
