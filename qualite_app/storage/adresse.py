"""Where the database is, without SQLAlchemy: ``--db``, ``QUALITE_DB`` or the user data folder. Read by
the engine and, before the core is imported, by the home page's kept content (``accueil.memoire``)."""

from __future__ import annotations

import os
from pathlib import Path

from qualite_app import paths

SQLITE_PREFIX = "sqlite:///"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` argument, else ``QUALITE_DB`` (a path or a SQLAlchemy URL), else the user data folder."""
    value = str(db) if db else os.environ.get("QUALITE_DB", "")
    if not value:
        return sqlite_url(paths.default_database_path())
    if "://" in value:
        return value
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    return f"{SQLITE_PREFIX}{Path(path).expanduser().resolve()}"
