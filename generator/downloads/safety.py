"""Formula neutralisation for the Excel-friendly downloads (OWASP "CSV Injection").

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, and tab or carriage return are stripped before that test by some
programs, so ``=HYPERLINK(...)`` in a published text could run when a reader
opens the file. The Excel-friendly CSV and the workbook put a single quote ``'``
before such a cell, which makes it text. A plain number such as ``-5`` or
``-1.5`` is a number, not a formula, and stays as it is. The canonical CSV and the
JSON are never changed.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_hostile(cell: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula."""
    return cell.startswith(FORMULA_STARTS) and PLAIN_NUMBER.fullmatch(cell) is None


def neutralise(cell: str) -> str:
    """The cell, with a leading ``'`` when a spreadsheet could read it as a formula."""
    return QUOTE + cell if is_hostile(cell) else cell
