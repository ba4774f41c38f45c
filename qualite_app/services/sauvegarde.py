"""Copies and restores of the open database (shared by the GUI menu and the command line)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qualite_app import paths
from qualite_app.errors import UserError
from qualite_app.storage import migrate
from qualite_app.storage.backup import check_database_file, online_backup, restore_into
from qualite_app.storage.database import Database


def _file(db: Database) -> Path:
    if db.path is None:
        raise UserError("Les copies et restaurations intégrées ne concernent que les bases SQLite ; utilisez les outils du serveur.")
    return db.path


def save_copy(db: Database, dest: Path | None = None) -> Path:
    """A consistent snapshot of the open database (the application may keep writing meanwhile)."""
    src = _file(db)
    if dest is None:
        dest = paths.backups_dir() / f"{src.stem}-manuelle-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    if dest.resolve() == src.resolve():
        raise UserError("La copie doit être enregistrée dans un autre fichier que la base ouverte.")
    return online_backup(src, dest)


def restore(db: Database, source: Path) -> Path:
    """Check ``source`` first, keep the current file as a copy, replace, then migrate. Returns the kept copy."""
    target = _file(db)
    if source.resolve() == target.resolve():
        raise UserError("Ce fichier est la base ouverte elle-même.")
    check_database_file(source)
    db.engine.dispose()
    kept = restore_into(source, target, paths.backups_dir())
    migrate.upgrade(db.engine, db_file=target)
    return kept
