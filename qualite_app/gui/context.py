"""What every page receives: the open database, the change bus and the preferences."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from qualite_app.settings import Settings
from qualite_app.storage.database import Database


class ChangeBus(QObject):
    """Announces what changed (a set of area names such as ``{"annuaire"}``); pages decide what to redraw."""

    changed = Signal(object)

    def announce(self, *areas: str) -> None:
        self.changed.emit(set(areas))


@dataclass
class AppContext:
    db: Database
    bus: ChangeBus
    settings: Settings
