"""Errors that users see. Each formats its own one-line message and carries its exit code.

Every stage raises these (never bare exceptions) for problems in user input, so the CLI can
print `path:line: message` and exit 1 without a traceback. A build collects them across all
files and reports them together.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class ArshifError(Exception):
    """A problem the user can fix. `str(err)` is the whole message shown to them."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(ArshifError):
    exit_code = 2


class SourceError(ArshifError):
    """Something wrong in one input file: an article, its sidecar or a data file."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, hint: str | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        shown = display_path(self.path)
        self.location = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{self.location}: {message}", hint)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with cached articles (their warnings); rebuilt from the parts, not the text.
        return (SourceError, (self.path, self.detail, self.line, self.hint))

    def leveled(self, level: str) -> str:
        """`path:line: level: message (hint)`, as `arshif check` prints it."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {level}: {self.detail}{hint}"


class ConfigError(SourceError):
    """A bad value in the site configuration; names the file, the line and the key."""

    def __init__(
        self,
        path: Path | str,
        key: str,
        message: str,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.key = key
        super().__init__(path, f"{key}: {message}", line, hint)
        self.key_message = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (ConfigError, (self.path, self.key, self.key_message, self.line, self.hint))


class BuildErrors(ArshifError):
    """Several errors found in one pass, reported together."""

    def __init__(self, errors: Iterable[ArshifError]) -> None:
        self.errors = sorted(errors, key=str)
        super().__init__("\n".join(str(e) for e in self.errors))


def display_path(path: Path) -> str:
    """`path` relative to the working folder when it lies inside it, as users typed it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return str(path)
    return path.as_posix()


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean …?' hint for a misspelt key, or None when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
