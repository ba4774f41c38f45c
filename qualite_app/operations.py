"""What one user action changed: one operation = one transaction = one ChangeSet.

The session collects the tables its transaction wrote (ORM flushes, ORM-enabled Core statements,
bulk journaled inserts, journal events); once the transaction commits, the database hands a
``ChangeSet`` to its listeners. The GUI turns it into a broadcast and each page decides, from the
tables it shows, whether to redraw: no call site has to guess which areas a service touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChangeSet:
    #: the journal's ``operation`` of the transaction (empty when nothing was journaled)
    operation: str
    tables: frozenset[str]

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)

    def __bool__(self) -> bool:
        return bool(self.tables)
