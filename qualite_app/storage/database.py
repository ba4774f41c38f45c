"""An open database: engine, lock against a second instance, migrations, and the unit of work."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from qualite_app import paths
from qualite_app.errors import DatabaseLockedError, UserError, os_error_text, translate
from qualite_app.operations import ChangeSet
from qualite_app.settings import Settings, os_user
from qualite_app.storage import audit, index, migrate, protection
from qualite_app.storage.engine import make_engine, resolve_url, sqlite_path


@dataclass(frozen=True)
class Actor:
    """Who makes the changes: the OS account and the name set in preferences."""

    os_user: str
    display_name: str = ""

    @classmethod
    def current(cls) -> Actor:
        return cls(os_user(), Settings.load().display_name)

    def __str__(self) -> str:
        return f"{self.display_name} ({self.os_user})" if self.display_name else self.os_user


def _session_user(engine: Engine) -> str | None:
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar())
    except Exception:  # unreachable server: opening says it just below, in French
        return None


class Database:
    def __init__(self, url: str, engine: Engine, path: Path | None, lock: object | None, actor: Actor) -> None:
        self.url = url
        self.engine = engine
        self.path = path
        self._lock = lock
        self.actor = actor
        self._factory = sessionmaker(engine, expire_on_commit=False)
        #: this opening's id: the server's change notifications it sent itself are not received twice
        self.instance = uuid.uuid4().hex
        audit.install(self._factory)
        index.install()
        self.startup_backup: Path | None = None
        self.migration_copy: Path | None = None
        #: what the user must be told about this opening (the journal's protection rebuilt…).
        self.alerts: list[str] = []
        self._listeners: list[Callable[[ChangeSet], None]] = []
        self.last_change = ChangeSet("", frozenset())

    # --- opening -------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        *,
        migrate_schema: bool = True,
        auto_backup: bool = False,
        lock: bool = True,
        actor: Actor | None = None,
    ) -> Database:
        url = resolve_url(db)
        path = sqlite_path(url)
        file_lock = None
        if path is not None:
            _prepare_file(path)
            if lock:
                file_lock = _acquire_lock(path)
        try:
            engine = make_engine(url)
        except Exception as exc:
            if file_lock is not None:
                file_lock.release()  # type: ignore[attr-defined]
            known = translate(exc)
            if known is None:
                raise
            raise known from exc
        if actor is None:
            actor = Actor.current()
            if engine.dialect.name == "postgresql":  # on the team's server, the journal names the connected account
                actor = Actor(_session_user(engine) or actor.os_user, actor.display_name)
        self = cls(url, engine, path, file_lock, actor)
        try:
            if auto_backup and path is not None:
                from qualite_app.storage.backup import automatic_backup

                self.startup_backup = automatic_backup(path, paths.backups_dir())
            if migrate_schema:
                self.migration_copy = migrate.upgrade(engine, db_file=path)
                self._check_journal_protection()
        except (DBAPIError, OSError) as exc:
            self.close()
            known = translate(exc)
            assert known is not None
            raise UserError(f"Impossible d'ouvrir la base « {path or url} » : {known.message}") from exc
        except BaseException:
            self.close()
            raise
        return self

    def _check_journal_protection(self) -> None:
        with self.engine.connect() as conn:
            if not protection.missing_triggers(conn):
                return
        with self.unit_of_work() as s:
            message = protection.restore_protection(s)
        if message:
            self.alerts.append(message)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()  # type: ignore[attr-defined]
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sessions ---------------------------------------------------------------------
    def session(self) -> Session:
        """A read session (nothing it writes is committed unless the caller does)."""
        s = self._factory()
        s.info["actor"] = (self.actor.os_user, self.actor.display_name)
        return s

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action = one transaction = one set of journal lines; all or nothing. Once it has
        committed, its ChangeSet goes to the listeners (the GUI's change bus)."""
        s = self.session()
        try:
            with s.begin():
                yield s
                s.flush()
                change = ChangeSet(str(s.info.get("operation", "")), frozenset(audit.touched(s)))
                if change and self.engine.dialect.name == "postgresql":  # the team's other windows redraw too
                    from qualite_app.storage import ecoute

                    ecoute.notify(s, self.instance, change)
        finally:
            s.close()
        self.last_change = change
        if change:
            for listener in list(self._listeners):
                try:
                    listener(change)
                except Exception as exc:  # the write is committed: a listener's failure must not undo it
                    from qualite_app.errors import log_crash

                    log_crash(exc)

    def add_listener(self, listener: Callable[[ChangeSet], None]) -> None:
        """``listener(change)`` after every committed transaction, in the thread that committed it."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[ChangeSet], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def listen_to_others(self) -> object | None:
        """On the team's server: a thread that hands the other users' committed ChangeSets to the same
        listeners (LISTEN/NOTIFY); ``stop()`` it before closing. None on SQLite (one user)."""
        if self.engine.dialect.name != "postgresql":
            return None
        from qualite_app.storage import ecoute

        def deliver(change: ChangeSet) -> None:
            for listener in list(self._listeners):
                try:
                    listener(change)
                except Exception as exc:  # pragma: no cover - a redraw's failure must not stop listening
                    from qualite_app.errors import log_crash

                    log_crash(exc)

        return ecoute.Ecoute(self.engine, self.instance, deliver)

    # --- facts ------------------------------------------------------------------------
    @property
    def location(self) -> str:
        """What ``Database.open`` (and ``--db``) takes to open this base again: its file, or its URL."""
        return str(self.path) if self.path is not None else self.engine.url.render_as_string(hide_password=False)

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else self.engine.url.render_as_string(hide_password=True)

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return migrate.current_revision(conn)

    def row_counts(self) -> dict[str, int]:
        from sqlalchemy import func

        from qualite_app.storage.base import Base

        names = set(inspect(self.engine).get_table_names())
        out = {}
        with self.session() as s:
            from qualite_app.areas import load_models

            load_models()
            for table in Base.metadata.sorted_tables:
                if table.name in names:
                    out[table.name] = s.scalar(select(func.count()).select_from(table)) or 0
        return out


def _prepare_file(path: Path) -> None:
    """Refuse, untouched, what must not be opened (a folder, another program's file, a damaged or
    truncated base, an unreadable or read-only file); create a new base's file private (0600)."""
    from qualite_app.storage.backup import SQLITE_MAGIC
    from qualite_app.storage.files import ensure_private_file, private_dir

    if path.is_dir():
        raise UserError(f"« {path} » est un dossier, pas une base de données.")
    try:
        if not path.exists():
            if not path.parent.exists():
                private_dir(path.parent)
            ensure_private_file(path)
            return
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise UserError(f"Impossible d'ouvrir la base « {path} » : {os_error_text(exc)}. Vérifiez le chemin et les droits du fichier.") from None
    if size == 0:
        ensure_private_file(path)
        return
    if not head.startswith(SQLITE_MAGIC):
        raise UserError(f"« {path.name} » n'est pas une base de données Qualité & Risques.")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(head[28:32], "big")
    if len(head) < 100 or (page_size and page_count and size < page_size * page_count):
        raise UserError(
            f"« {path.name} » est tronquée : le fichier est incomplet (copie interrompue ?). "
            "Restaurez une sauvegarde (« qualite restore » ou Fichier › Restaurer une sauvegarde)."
        )
    _check_foreign(path)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        where = "le fichier" if not os.access(path, os.W_OK) else f"son dossier « {path.parent} »"
        raise UserError(
            f"La base « {path.name} » ne peut pas être modifiée : {where} est en lecture seule. "
            "Rendez-le modifiable, ou copiez la base dans un dossier à vous."
        )
    ensure_private_file(path)


#: tables that make a SQLite file one of ours (present since the first migration).
OUR_TABLES = frozenset({"alembic_version", "etablissement", "journal_audit"})


def _check_foreign(path: Path) -> None:
    """A non-empty SQLite file without our schema belongs to another program: refuse it, untouched."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        known = translate(exc)
        raise UserError(f"Impossible d'ouvrir « {path.name} » : {known.message if known else exc}") from None
    mine = {t for t in tables if not t.startswith("sqlite_")}
    if mine and not mine >= OUR_TABLES:
        raise UserError(
            f"« {path.name} » est une base SQLite d'un autre programme (tables : {', '.join(sorted(mine)[:6])}"
            f"{'…' if len(mine) > 6 else ''}) : elle n'a pas été ouverte ni modifiée. Choisissez une base Qualité & Risques, "
            "ou un nouveau fichier."
        )


def _acquire_lock(path: Path) -> object:
    from qualite_app.storage.lock import InstanceLock

    lock = InstanceLock.for_database(path)
    try:
        acquired = lock.acquire()
    except OSError as exc:
        raise UserError(f"Impossible d'ouvrir la base « {path.name} » : {os_error_text(exc)}.") from None
    if not acquired:
        raise DatabaseLockedError(
            f"La base « {path.name} » est déjà ouverte par une autre instance de Qualité & Risques. "
            "Fermez l'autre fenêtre, ou ouvrez une autre base."
        )
    return lock
