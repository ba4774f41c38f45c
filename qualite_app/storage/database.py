"""An open database: engine, lock against a second instance, migrations, and the unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qualite_app import paths
from qualite_app.errors import DatabaseLockedError, UserError
from qualite_app.settings import Settings, os_user
from qualite_app.storage import audit, migrate
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


class Database:
    def __init__(self, url: str, engine: Engine, path: Path | None, lock: object | None, actor: Actor) -> None:
        self.url = url
        self.engine = engine
        self.path = path
        self._lock = lock
        self.actor = actor
        self._factory = sessionmaker(engine, expire_on_commit=False)
        audit.install(self._factory)
        self.startup_backup: Path | None = None
        self.migration_copy: Path | None = None

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
            if path.exists() and path.is_dir():
                raise UserError(f"« {path} » est un dossier, pas une base de données.")
            if path.exists() and path.stat().st_size > 0:
                from qualite_app.storage.backup import SQLITE_MAGIC

                with path.open("rb") as f:
                    if not f.read(16).startswith(SQLITE_MAGIC):
                        raise UserError(f"« {path.name} » n'est pas une base de données Qualité & Risques.")
            if lock:
                file_lock = _acquire_lock(path)
        engine = make_engine(url)
        self = cls(url, engine, path, file_lock, actor or Actor.current())
        try:
            if auto_backup and path is not None:
                from qualite_app.storage.backup import automatic_backup

                self.startup_backup = automatic_backup(path, paths.backups_dir())
            if migrate_schema:
                self.migration_copy = migrate.upgrade(engine, db_file=path)
        except OperationalError as exc:
            self.close()
            raise UserError(f"Impossible d'ouvrir la base « {path or url} » : {exc.orig}") from exc
        except BaseException:
            self.close()
            raise
        return self

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
        """One user action = one transaction = one set of journal lines; all or nothing."""
        s = self.session()
        try:
            with s.begin():
                yield s
        finally:
            s.close()

    # --- facts ------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else self.engine.url.render_as_string(hide_password=True)

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return migrate.current_revision(conn)

    def row_counts(self) -> dict[str, int]:
        from sqlalchemy import func

        from qualite_app.models import Base

        names = set(inspect(self.engine).get_table_names())
        out = {}
        with self.session() as s:
            for table in Base.metadata.sorted_tables:
                if table.name in names:
                    out[table.name] = s.scalar(select(func.count()).select_from(table)) or 0
        return out


def _acquire_lock(path: Path) -> object:
    from qualite_app.storage.lock import InstanceLock

    lock = InstanceLock(path.with_name(path.name + ".verrou"))
    if not lock.acquire():
        raise DatabaseLockedError(
            f"La base « {path.name} » est déjà ouverte par une autre instance de Qualité & Risques. "
            "Fermez l'autre fenêtre, ou ouvrez une autre base."
        )
    return lock
