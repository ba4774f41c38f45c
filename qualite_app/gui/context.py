"""What every page receives: the open database, the change bus and the preferences."""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Signal

from qualite_app.operations import ChangeSet
from qualite_app.settings import Settings
from qualite_app.socle.base import Database


class ChangeBus(QObject):
    """Announces what changed: a set of names — the tables a transaction wrote and the areas that own
    them (``{"paqss_action", "paqss"}``); pages decide what to redraw from what they show."""

    changed = Signal(object)

    def announce(self, *names: str) -> None:
        self.changed.emit(set(names))

    def broadcast(self, change: ChangeSet) -> None:
        """Listener of ``Database``: called after each commit, possibly from a worker thread (the
        signal is then queued to the UI thread)."""
        if not shiboken6.isValid(self):  # the window is gone; the base outlived it (tests, shutdown)
            return
        from qualite_app.areas import area_of_table

        names = set(change.tables)
        names.update(a for a in map(area_of_table, change.tables) if a)
        self.changed.emit(names)


@dataclass
class AppContext:
    db: Database
    bus: ChangeBus
    settings: Settings
