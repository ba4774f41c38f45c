"""The open base as the GUI holds it: open, who is writing, close. The GUI goes through here, never
through ``storage`` (engine, sessions, migrations are the kernel's business)."""

from __future__ import annotations

from pathlib import Path

from qualite_app.settings import os_user
from qualite_app.storage.database import Actor, Database

__all__ = ["Database", "ouvrir", "nommer_utilisateur"]


def ouvrir(db: str | Path | None = None, *, auto_backup: bool = True) -> Database:
    """Open (check, lock, back up once a day, migrate) the base; a French ``UserError`` otherwise."""
    return Database.open(db, auto_backup=auto_backup)


def nommer_utilisateur(db: Database, nom: str) -> None:
    """The name written in the journal from now on (preferences), beside the system account."""
    db.actor = Actor(os_user(), nom.strip())


def revision_du_schema(db: Database) -> tuple[str | None, str]:
    """(the base's schema revision, the newest this version of the application knows)."""
    from qualite_app.storage.migrate import head_revision

    return db.revision(), head_revision()
