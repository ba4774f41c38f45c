"""Backups with SQLite's online backup API, daily rotation, and a restore that checks before replacing."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from qualite_app.errors import NewerDatabaseError, UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
KEEP_DAILY = 7
KEEP_WEEKLY = 4


PARTIAL = ".partiel"


def _partial_name(dst: Path) -> Path:
    """``copie.sqlite.<pid>.partiel``: the writer's pid says whether a leftover is still being written."""
    return dst.with_name(f"{dst.name}.{os.getpid()}{PARTIAL}")


def sweep_partials(folder: Path) -> list[Path]:
    """Remove the unfinished copies left by a backup that was killed (its process no longer exists)."""
    removed = []
    for p in folder.glob(f"*{PARTIAL}"):
        pid_text = p.name.removesuffix(PARTIAL).rsplit(".", 1)[-1]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, another user's
        return True
    return True


def online_backup(src: Path, dst: Path) -> Path:
    """A consistent snapshot of ``src`` into ``dst`` (0600), safe while the application has it open.

    Written beside ``dst`` under a temporary name, then renamed: ``dst`` is complete or absent. A
    failure (disk full…) removes the temporary file; a killed backup's leftover is swept next time.
    """
    from qualite_app.storage.files import create_private, private_dir, tighten

    private_dir(dst.parent)
    sweep_partials(dst.parent)
    tmp = _partial_name(dst)
    tmp.unlink(missing_ok=True)
    try:
        create_private(tmp)
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=10)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        tmp.replace(dst)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        for extra in (tmp.with_name(tmp.name + "-journal"), tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            extra.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename == str(tmp):  # name the copy the user asked for
            raise OSError(exc.errno, exc.strerror, str(dst)) from exc
        raise
    tighten(dst)
    return dst


def _backup_date(p: Path, stem: str) -> date | None:
    rest = p.name.removeprefix(f"{stem}-").removesuffix(".sqlite")
    try:
        return datetime.strptime(rest, "%Y-%m-%d").date()
    except ValueError:
        return None


def daily_backups(folder: Path, stem: str) -> list[tuple[date, Path]]:
    out = []
    for p in folder.glob(f"{stem}-*.sqlite"):
        d = _backup_date(p, stem)
        if d is not None:
            out.append((d, p))
    return sorted(out)


def rotate(folder: Path, stem: str) -> list[Path]:
    """Keep the last 7 daily backups and the newest of each of the last 4 other weeks; return what was removed."""
    items = daily_backups(folder, stem)
    keep: set[Path] = {p for _, p in items[-KEEP_DAILY:]}
    weeks: dict[tuple[int, int], Path] = {}
    for d, p in items:
        iso = d.isocalendar()
        weeks[(iso[0], iso[1])] = p  # sorted ascending: newest of the week wins
    older = [p for wk, p in sorted(weeks.items()) if p not in keep]
    keep.update(older[-KEEP_WEEKLY:])
    removed = []
    for _, p in items:
        if p not in keep:
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def automatic_backup(db_file: Path, folder: Path, today: date | None = None) -> Path | None:
    """At most one backup a day, at startup. Returns the new file, or None if today's exists."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    today = today or date.today()
    target = folder / f"{db_file.stem}-{today.isoformat()}.sqlite"
    if target.exists():
        return None
    online_backup(db_file, target)
    rotate(folder, db_file.stem)
    return target


@dataclass(frozen=True)
class DatabaseFileCheck:
    path: Path
    revision: str | None


def check_database_file(path: Path) -> DatabaseFileCheck:
    """Refuse anything that is not a sound database of this application, with a French message."""
    from qualite_app.storage.migrate import check_not_newer

    if not path.is_file():
        raise UserError(f"Le fichier « {path} » n'existe pas.")
    with path.open("rb") as f:
        head = f.read(100)
    if not head.startswith(SQLITE_MAGIC):
        raise UserError(f"« {path.name} » n'est pas une base de données Qualité & Risques (format de fichier inconnu).")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(head[28:32], "big")
    if page_size and page_count and path.stat().st_size < page_size * page_count:
        raise UserError(f"« {path.name} » est tronqué : le fichier est incomplet (copie interrompue ?).")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()
            if not ok or ok[0] != "ok":
                raise UserError(f"« {path.name} » est endommagé (contrôle d'intégrité : {ok[0] if ok else '?'}).")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "etablissement" not in tables:
                raise UserError(f"« {path.name} » est une base SQLite, mais pas une base Qualité & Risques.")
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"« {path.name} » est illisible ou endommagé ({exc}).") from exc
    revision = row[0] if row else None
    try:
        check_not_newer(revision)
    except NewerDatabaseError as exc:  # name the file: the user is choosing one, not opening "this" base
        raise NewerDatabaseError(
            f"« {path.name} » a été créée par une version plus récente de l'application (révision « {revision} ») : "
            "mettez l'application à jour pour l'utiliser. Rien n'a été modifié."
        ) from exc
    return DatabaseFileCheck(path, revision)


def copy_into(source: Path, db_file: Path) -> None:
    """Replace the content of ``db_file`` by ``source`` in ONE SQLite transaction (the backup API writes
    the destination under its own lock and journal: it is the old content or the new, never a mix)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_file, timeout=10)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def previous_weeks(today: date, n: int) -> list[date]:  # used by tests to fabricate histories
    return [today - timedelta(days=i) for i in range(n)]
