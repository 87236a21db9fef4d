"""Package rules that look at one file at a time, so their findings can be cached per file.

Such a rule finds problems in a table from that table alone, and in a package's
``datapackage.json`` from the descriptor alone. ``check`` runs it on every
package; ``validate_packages`` runs ``check_table`` once per table and keeps
the findings under the table's key, so an unchanged file is not read again.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.load import DataPackage, Table
from generator.problems import Problem, Severity


class TableRule:
    """A package rule whose findings in a file depend on that file alone.

    More precisely, on each row alone (its cells and number, and how the table is
    read), and ``check_table`` yields them in the order of the schema's fields, then
    of the rows: ``validate_packages`` reruns a rule on the rows an edit changed and
    puts the findings in place among the unchanged rows' (tested for every rule).
    """

    code: str
    severity: Severity
    description: str

    def check(self, packages: list[DataPackage]) -> Iterator[Problem]:
        """Yield the problems of every package: its descriptor's, then each table's."""
        for package in packages:
            yield from self.check_descriptor(package)
            for table in package.tables.values():
                yield from self.check_table(table)

    def check_descriptor(self, package: DataPackage) -> Iterator[Problem]:
        """Yield the problems found in a package's descriptor (none, unless overridden)."""
        return iter(())

    def check_table(self, table: Table) -> Iterator[Problem]:
        """Yield the problems found in one table."""
        raise NotImplementedError
