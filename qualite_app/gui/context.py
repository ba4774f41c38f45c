"""What every page receives: the open database, the change bus and the preferences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from qualite_app.operations import ChangeSet
from qualite_app.settings import Settings

if TYPE_CHECKING:  # the window's skeleton paints before the core (SQLAlchemy) is imported
    from qualite_app.socle.base import Database


class ChangeBus(QObject):
    """Tells the pages what changed: a set of names — the tables a transaction wrote and the areas that
    own them (``{"paqss_action", "paqss"}``); pages decide what to redraw from what they show.

    Nobody announces a write by hand: the names come from each committed transaction's ChangeSet
    (``broadcast``, fed by the database). Only a replaced base (``replaced``) says « everything »."""

    changed = Signal(object)
    #: a commit's names, queued: pages redraw once the event that wrote has finished (an editor in the
    #: middle of ``setData`` is never reset under its feet), and in the UI thread whatever thread committed
    _committed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt  # not at import (the window's skeleton): PySide6 builds it on first use

        self._committed.connect(self.changed.emit, Qt.ConnectionType.QueuedConnection)

    def replaced(self) -> None:
        """The base itself was replaced (another base opened, a backup restored): no transaction
        describes that, every page re-reads (``"*"``)."""
        self.changed.emit({"*"})

    def broadcast(self, change: ChangeSet) -> None:
        """Listener of ``Database``: called after each commit, possibly from a worker thread."""
        if not shiboken6.isValid(self):  # the window is gone; the base outlived it (tests, shutdown)
            return
        from qualite_app.areas import area_of_table

        names = set(change.tables)
        names.update(a for a in map(area_of_table, change.tables) if a)
        self._committed.emit(names)


@dataclass
class AppContext:
    """The open base, the change bus fed by the base's commits, and the preferences."""

    db: Database
    bus: ChangeBus
    settings: Settings

    def __post_init__(self) -> None:
        self.db.add_listener(self.bus.broadcast)  # every committed transaction reaches the pages
        self._others: Any = self.db.listen_to_others()  # on the team's server, the colleagues' ones too

    def switch(self, db: Database) -> Database:
        """Make ``db`` the open base; return the previous one (still open: the caller closes it)."""
        self._stop_listening()
        old, self.db = self.db, db
        old.remove_listener(self.bus.broadcast)
        db.add_listener(self.bus.broadcast)
        self._others = db.listen_to_others()
        self.bus.replaced()
        return old

    def detach(self) -> None:
        self._stop_listening()
        self.db.remove_listener(self.bus.broadcast)

    def _stop_listening(self) -> None:
        if getattr(self, "_others", None) is not None:
            self._others.stop()
            self._others = None
