"""Other users' changes, on the team's server: each committed transaction sends its ChangeSet with
PostgreSQL's NOTIFY (delivered at commit, never for a rolled-back one); every open window LISTENs on a
connection of its own and hands what it hears to the same listeners as its own writes (the GUI's change
bus, which moves it to the UI thread): a page redraws when a colleague saves, without restarting.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from qualite_app.operations import ChangeSet

CHANNEL = "qualite_changements"


def notify(s: Session, instance: str, change: ChangeSet) -> None:
    """Sent with the transaction's last statements (the journal's lines, the commit): one trip to the server."""
    from qualite_app.storage import audit

    payload = json.dumps({"i": instance, "o": change.operation, "t": sorted(change.tables)})
    if len(payload) >= 7900:  # pragma: no cover - NOTIFY's limit is 8000 bytes: every table is said to have changed
        payload = json.dumps({"i": instance, "o": change.operation, "t": ["*"]})
    audit.execute_last(s, audit.NOTIFY_SQL, {"c": CHANNEL, "p": payload})


class Ecoute:
    """A daemon thread listening on its own autocommit connection; ``stop()`` ends it within a second."""

    def __init__(self, engine: Engine, instance: str, deliver: Callable[[ChangeSet], None]) -> None:
        self._engine, self._instance, self._deliver = engine, instance, deliver
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qualite-ecoute", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql")
        try:
            conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        except psycopg.Error:  # the server went away: the window keeps working on its own writes
            self._ready.set()
            return
        try:
            with conn:
                conn.execute(f"LISTEN {CHANNEL}")
                self._ready.set()
                while not self._stop.is_set():
                    for n in conn.notifies(timeout=0.5, stop_after=50):
                        change = _change_of(n.payload, self._instance)
                        if change is not None:
                            self._deliver(change)
        except psycopg.Error:  # connection lost (server stopped, base dropped): stop listening quietly
            self._ready.set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def _change_of(payload: str, instance: str) -> ChangeSet | None:
    try:
        data: dict[str, Any] = json.loads(payload)
    except ValueError:
        return None
    if data.get("i") == instance:  # our own write: already delivered when it committed
        return None
    return ChangeSet(str(data.get("o", "")), frozenset(str(t) for t in data.get("t", [])))
