"""Copies and restores of the open database (shared by the GUI menu and the command line)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from qualite_app import paths
from qualite_app.errors import UserError, translate
from qualite_app.storage import audit, migrate, protection
from qualite_app.storage.backup import check_database_file, copy_into, online_backup
from qualite_app.storage.database import Database
from qualite_app.storage.engine import make_engine, resolve_url, sqlite_path, sqlite_url
from qualite_app.storage.tables import JournalAudit


def verifier_fichier(path: Path) -> None:
    """Before asking « restore this? »: a French ``UserError`` when the file is no sound base of ours."""
    check_database_file(path)


def _file(db: Database) -> Path:
    if db.path is None:
        raise UserError("Les copies et restaurations intégrées ne concernent que les bases SQLite ; utilisez les outils du serveur.")
    return db.path


def _default_copy(src: Path) -> Path:
    return paths.backups_dir() / f"{src.stem}-manuelle-{datetime.now():%Y%m%d-%H%M%S}.sqlite"


def save_copy(db: Database, dest: Path | None = None) -> Path:
    """A consistent snapshot of the open database (the application may keep writing meanwhile)."""
    return _save(_file(db), dest)


def save_copy_of(db: str | Path | None, dest: Path | None = None) -> Path:
    """The same without opening the base: ``qualite backup`` works while the application has it open
    (SQLite's online backup needs no exclusive lock, and a copy changes nothing)."""
    src = sqlite_path(resolve_url(db))
    if src is None:
        raise UserError("Les copies intégrées ne concernent que les bases SQLite ; utilisez les outils du serveur.")
    if dest is not None and dest.resolve() == src.resolve():
        raise UserError("La copie doit être enregistrée dans un autre fichier que la base ouverte.")
    if not src.is_file():
        raise UserError(f"La base « {src} » n'existe pas : rien à sauvegarder.")
    import sqlite3

    from qualite_app.storage.database import OUR_TABLES

    try:
        con = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        known = translate(exc)
        raise UserError(f"« {src.name} » : {known.message if known else 'illisible'}") from None
    if not tables >= OUR_TABLES:
        raise UserError(f"« {src.name} » n'est pas une base de données Qualité & Risques : rien n'a été copié.")
    return _save(src, dest)


def _save(src: Path, dest: Path | None) -> Path:
    dest = dest or _default_copy(src)
    if dest.resolve() == src.resolve():
        raise UserError("La copie doit être enregistrée dans un autre fichier que la base ouverte.")
    return online_backup(src, dest)


@dataclass(frozen=True)
class Ecartees:
    """Journal lines of the current base that the restored one does not have."""

    nombre: int
    du: datetime | None
    au: datetime | None

    def texte(self) -> str:
        if not self.nombre:
            return "aucune ligne du journal écartée"
        from qualite_app.socle.journal import to_local

        assert self.du is not None and self.au is not None
        return (f"{self.nombre} ligne(s) du journal écartée(s), écrites du {to_local(self.du):%d/%m/%Y %H:%M} "
                f"au {to_local(self.au):%d/%m/%Y %H:%M}")  # fmt: skip


def _discarded(current: Database, restored: Database) -> Ecartees:
    """The restored journal is normally a prefix of the current one: what lies past it is discarded."""
    j = JournalAudit
    with restored.session() as s:
        last = s.execute(select(j.id, j.empreinte).order_by(j.id.desc()).limit(1)).first()
    with current.session() as s:
        if last is not None and s.scalar(select(j.empreinte).where(j.id == last[0])) == last[1]:
            cond = j.id > last[0]
        else:  # another history (or an empty one): nothing of the current journal survives
            cond = j.id.is_not(None)
        n, du, au = s.execute(select(func.count(), func.min(j.horodatage), func.max(j.horodatage)).where(cond)).one()
    return Ecartees(n or 0, du, au)


def restore(db: Database, source: Path) -> Path:
    """Restore ``source`` over the open base; return the copy kept of the current base.

    The backup is copied to a temporary file beside the base, checked (integrity, a Qualité & Risques
    base, a known schema), migrated, and the restore is journaled in it; only then is it swapped in,
    in one SQLite transaction. Any failure before the swap leaves the current base untouched.
    """
    target = _file(db)
    if source.resolve() == target.resolve():
        raise UserError("Ce fichier est la base ouverte elle-même.")
    check_database_file(source)
    tmp = target.with_name(f".{target.name}.restauration.{os.getpid()}.partiel")
    try:
        online_backup(source, tmp)
        candidate = _prepared(db, source, tmp)
        kept = paths.backups_dir() / f"{target.stem}-avant-restauration-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
        online_backup(target, kept)
        db.engine.dispose()
        copy_into(candidate, target)
    finally:
        for p in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm"), tmp.with_name(tmp.name + "-journal")):
            p.unlink(missing_ok=True)
    return kept


def _prepared(db: Database, source: Path, tmp: Path) -> Path:
    """Migrate the temporary copy and journal the restore in it; a French UserError when it cannot be."""
    engine = make_engine(sqlite_url(tmp))
    try:
        try:
            migrate.upgrade(engine, db_file=None)
        except UserError as exc:
            raise UserError(f"La sauvegarde « {source.name} » ne peut pas être restaurée : {exc.message}") from None
        except Exception as exc:
            known = translate(exc)
            detail = known.message if known else "son schéma n'a pas pu être mis à jour"
            raise UserError(
                f"La sauvegarde « {source.name} » ne peut pas être restaurée ({detail}). La base ouverte n'a pas été modifiée."
            ) from exc
        restored = Database(sqlite_url(tmp), engine, tmp, None, db.actor)
        gone = _discarded(db, restored)
        with restored.unit_of_work() as s:
            protection.restore_protection(s)
            audit.record_event(
                s,
                "restauration",
                "Base de données",
                f"Restauration depuis « {source.name} »",
                f"Base restaurée depuis {source} par {db.actor} le {datetime.now():%d/%m/%Y à %H:%M} ; {gone.texte()}.",
            )
        with engine.connect() as conn:
            ok = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        if ok != "ok":
            raise UserError(f"La sauvegarde « {source.name} » est endommagée : la base ouverte n'a pas été modifiée.")
    finally:
        engine.dispose()
    return tmp
