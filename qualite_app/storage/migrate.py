"""Alembic from code: scripts in ``db/``, connection passed in, file copied before upgrading.

Alembic is imported only when it has work to do: a database already at the single head declared by
``db/versions/*.py`` opens without it (≈ 150–200 ms of every start).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from qualite_app import paths
from qualite_app.errors import NewerDatabaseError, UserError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.db_dir()))
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {s.revision for s in script_directory().walk_revisions()}


def check_not_newer(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise NewerDatabaseError(
            f"Cette base a été créée par une version plus récente de l'application (révision « {revision} »). "
            "Mettez l'application à jour pour l'ouvrir ; la base n'a pas été modifiée."
        )


_ASSIGN = re.compile(r"^(revision|down_revision|depends_on)\s*(?::[^=\n]*)?=\s*(.+)$", re.M)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


@cache
def declared_head() -> str | None:
    """The single head of ``db/versions`` read as text (no Alembic import); None when unsure."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (paths.db_dir() / "versions").glob("*.py"):
        found = {m[1]: m[2].strip() for m in _ASSIGN.finditer(script.read_text(encoding="utf-8"))}
        rev = _QUOTED.findall(found.get("revision", ""))
        if len(rev) != 1 or "down_revision" not in found or found.get("depends_on", "None") != "None":
            return None  # not the plain form written by script.py.mako: let Alembic decide
        revisions.add(rev[0])
        parents.update(_QUOTED.findall(found["down_revision"]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _stored_revisions(engine: Engine) -> list[str] | None:
    """Rows of ``alembic_version`` read with plain SQL; None when the table is not there."""
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    except DBAPIError:
        return None


def is_up_to_date(engine: Engine) -> bool:
    """True when the database is exactly at the declared head (nothing to migrate, nothing newer)."""
    head = declared_head()
    return head is not None and _stored_revisions(engine) == [head]


def _has_our_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return bool({"etablissement", "journal_audit"} & set(inspect(engine).get_table_names()))


def upgrade(engine: Engine, *, db_file: Path | None = None, revision: str = "head") -> Path | None:
    """Bring the database to ``revision``; return the safety copy made first, if any."""
    if revision == "head" and is_up_to_date(engine):
        return None
    with engine.connect() as conn:
        current = current_revision(conn)
    check_not_newer(current)
    if current is None and _has_our_tables(engine):
        raise UserError(
            "Cette base n'indique pas la version de son schéma (table alembic_version vide) : elle ne peut pas "
            "être mise à jour sans risque. Rien n'a été modifié ; utilisez une autre sauvegarde."
        )
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
