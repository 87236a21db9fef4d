"""Rendering problems: text grouped by file for people, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby

from generator.problems import Problem


def render_text(problems: Iterable[Problem]) -> str:
    """Group problems by file: a header line per file, one line per problem, a summary.

    Within a row, errors come before warnings.
    """
    ordered = sorted(problems, key=_reading_order)
    lines: list[str] = []
    for path, group in groupby(ordered, key=lambda p: p.path):
        lines.append(path)
        lines.extend(f"  {problem_line(p)}" for p in group)
    lines.append(summary(ordered))
    return "\n".join(lines) + "\n"


def problem_line(problem: Problem) -> str:
    """One problem as ``path:row:field: message (value) [code]``."""
    text = f"{problem.location()}: {problem.message}"
    if problem.hint:
        text += f"; {problem.hint}"
    if problem.value is not None:
        text += f" ({problem.value})"
    return f"{text} [{problem.code}]"


def summary(problems: list[Problem]) -> str:
    """``N errors, M warnings in K files``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(files, 'file')}"


def render_json(problems: Iterable[Problem], *, ok: bool) -> str:
    """``{"ok", "errors", "warnings", "problems"}`` with sorted keys, non-ASCII kept."""
    listed = sorted(problems, key=_reading_order)
    errors = sum(1 for p in listed if p.severity == "error")
    document = {
        "ok": ok,
        "errors": errors,
        "warnings": len(listed) - errors,
        "problems": [p.to_dict() for p in listed],
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _reading_order(p: Problem) -> tuple[str, int, bool, str, str, str]:
    return (p.path, p.row or 0, p.severity != "error", p.field or "", p.code, p.message)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
