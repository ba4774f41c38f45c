"""Alembic from code: scripts in ``db/``, connection passed in, file copied before upgrading."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from qualite_app import paths
from qualite_app.errors import NewerDatabaseError


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.db_dir()))
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {s.revision for s in script_directory().walk_revisions()}


def check_not_newer(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise NewerDatabaseError(
            f"Cette base a été créée par une version plus récente de l'application (révision « {revision} »). "
            "Mettez l'application à jour pour l'ouvrir ; la base n'a pas été modifiée."
        )


def upgrade(engine: Engine, *, db_file: Path | None = None, revision: str = "head") -> Path | None:
    """Bring the database to ``revision``; return the safety copy made first, if any."""
    with engine.connect() as conn:
        current = current_revision(conn)
    check_not_newer(current)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    copy: Path | None = None
    if db_file is not None and current is not None and db_file.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = paths.backups_dir() / f"{db_file.stem}-avant-migration-{current}-{stamp}.sqlite"
        from qualite_app.storage.backup import online_backup

        online_backup(db_file, copy)
    cfg = alembic_config()
    from alembic import command

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return copy


