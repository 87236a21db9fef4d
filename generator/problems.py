"""Problems are data: every validation finding is a record, never an exception.

Validation collects every problem, the CLI and plugin print them together and
stop the build once. Codes are stable: tests and scripts match on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the data, precise enough for a clerk to fix it.

    ``path`` is the file as the publisher knows it (relative to the data
    folder); ``row`` is the line number in that file counting the header as
    row 1 (as frictionless and spreadsheets do); ``field`` the column name.
    """

    path: str
    row: int | None
    field: str | None
    code: str
    severity: Severity
    message: str
    value: str | None = None
    package: str | None = None
    resource: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """Return ``path:row:field`` with absent parts left out."""
        parts = [self.path]
        if self.row is not None:
            parts.append(str(self.row))
        if self.field:
            parts.append(self.field)
        return ":".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a plain JSON-ready dict."""
        return asdict(self)


def error(code: str, message: str, *, path: str, **where: Any) -> Problem:
    """Make an error-level problem (it stops publication)."""
    return _make("error", code, message, path, where)


def warning(code: str, message: str, *, path: str, **where: Any) -> Problem:
    """Make a warning-level problem (reported; stops publication only with --strict)."""
    return _make("warning", code, message, path, where)


def _make(severity: Severity, code: str, message: str, path: str, where: dict[str, Any]) -> Problem:
    value = where.pop("value", None)
    return Problem(
        path=path,
        row=where.pop("row", None),
        field=where.pop("field", None),
        code=code,
        severity=severity,
        message=message,
        value=None if value is None else _short(str(value)),
        **where,
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file, then row, then field: the order a clerk fixes them in."""
    return sorted(problems, key=lambda p: (p.path, p.row or 0, p.field or "", p.code, p.message))


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    """Tell whether the problems stop publication (warnings too when strict)."""
    return any(p.severity == "error" or strict for p in problems)


class DataError(Exception):
    """Raised once, at the edge, when validation found problems that stop the build."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} data problem(s)")
