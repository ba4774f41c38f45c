"""Engine creation: where the database is, and SQLite pragmas (WAL, foreign keys, busy timeout)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

from qualite_app.storage.adresse import resolve_url, sqlite_url

__all__ = ["BUSY_TIMEOUT_MS", "make_engine", "resolve_url", "sqlite_path", "sqlite_url"]

BUSY_TIMEOUT_MS = 5000


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another backend or an in-memory database."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        mode = cur.execute("PRAGMA journal_mode").fetchone()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            cur.execute("PRAGMA journal_mode=WAL")
    finally:
        cur.close()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.exists():
            from qualite_app.storage.files import private_dir

            private_dir(path.parent)
        connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        if read_only and path is not None:
            url = f"sqlite:///file:{path}?mode=ro&uri=true"
        # hide_parameters: an error's text (shown, logged) must never carry row data (names, values)
        engine = create_engine(url, connect_args=connect_args, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, hide_parameters=True)
    _ping_when_idle(engine)
    if u.get_backend_name() == "postgresql":
        event.listen(engine, "rollback", _end_read_only)
    return engine


#: a server's connection given back to the pool less than this many seconds ago is taken again without a ping
PING_APRES_S = 2.0
_RENDUE = "rendue_le"


def _ping_when_idle(engine: Engine) -> None:
    """Check that the server is still there (a ping: one trip to it) only when a connection is taken from the
    pool after it lay unused for a while (the application left open, a server restarted overnight); a dead one
    is replaced before the user's statement. ``pool_pre_ping`` pinged at every session: one more trip to the
    server, and its processor time on both sides, for each read and each save of a writer saving in a row.
    A server stopped within the last two seconds is seen by the statement itself: the pool is renewed and
    the user told (in French) as for any lost connection."""

    def connected(_dbapi: Any, record: Any) -> None:
        record.info[_RENDUE] = time.monotonic()

    def checked_in(_dbapi: Any, record: Any) -> None:
        if record is not None:
            record.info[_RENDUE] = time.monotonic()

    def checked_out(dbapi: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_RENDUE, 0.0) < PING_APRES_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi)
        except Exception as e:  # lost: the pool drops it and takes (or opens) another one
            raise exc.DisconnectionError() from e
        if not alive:
            raise exc.DisconnectionError()

    event.listen(engine, "connect", connected)
    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checked_out)


#: PostgreSQL: succeeds only while the transaction has written nothing (no transaction id assigned)
_READ_ONLY_CHECK = "SELECT 1 / (txid_current_if_assigned() IS NULL)::int"


def _end_read_only(conn: Any) -> None:
    """A transaction that wrote nothing (a read session closing, a form's reading) ends with COMMIT rather
    than ROLLBACK: for the server both end it alike (nothing to undo, its locks released), but psycopg drops
    every prepared statement of the connection after a ROLLBACK (and sends DEALLOCATE ALL, one more trip to
    the server): each read would make the next statements be planned again by the server. The check and the
    COMMIT go in one trip; a transaction that wrote (an error in a unit of work, a session never committed)
    fails the check and is rolled back as before by the ROLLBACK that follows this event."""
    try:
        raw = conn.connection.driver_connection
        import psycopg

        if raw is None or raw.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
            return
        with raw.pipeline():  # both sent at once; on an error (it wrote) the COMMIT is skipped by the server
            try:
                raw.execute(_READ_ONLY_CHECK)
                raw.execute("COMMIT")
            except psycopg.Error:  # reported here or when the pipeline ends: either way the ROLLBACK follows
                pass
    except Exception:  # it wrote (division by zero), or the connection is lost: the ROLLBACK follows
        return
