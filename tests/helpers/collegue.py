"""A colleague working on the same base at the same time: a second ``Database`` on the same SQLite file (no
instance lock: the test plays both people) or the same PostgreSQL database, journaling as another person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qualite_app.storage.database import Actor, Database

COLLEGUE = Actor("jarsac", "Julien ARSAC")


@contextmanager
def collegue(db: Database) -> Iterator[Database]:
    other = Database.open(db.url, migrate_schema=False, lock=False, actor=COLLEGUE)
    try:
        yield other
    finally:
        other.close()
