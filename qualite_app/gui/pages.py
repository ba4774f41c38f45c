"""The areas of the main window. An area appears only when it works: one line per area here."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from qualite_app.gui.context import AppContext


class Page(QWidget):
    """Base of an area page: built lazily on first display, refreshed from the change bus."""

    #: areas (bus names) whose changes make this page reload.
    listens_to: frozenset[str] = frozenset()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        ctx.bus.changed.connect(self._on_changed)

    def _on_changed(self, areas: set[str]) -> None:
        if areas & self.listens_to or "*" in areas:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Re-read from the services what the page shows."""


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    target: str  # "module:Class"
    icon: str = ""

    def create(self, ctx: AppContext) -> Page:
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)(ctx)


PAGES: list[PageSpec] = [
    PageSpec("etablissement", "Établissement", "qualite_app.gui.features.etablissement.page:EtablissementPage", "etablissement"),
    PageSpec("paqss", "PAQSS", "qualite_app.gui.features.paqss.page:PaqssPage", "paqss"),
    PageSpec("indicateurs", "Indicateurs", "qualite_app.gui.features.indicateurs.page:IndicateursPage", "indicateurs"),
    PageSpec("rapports", "Rapports", "qualite_app.gui.features.rapports.page:RapportsPage", "rapports"),
    PageSpec("historique", "Historique", "qualite_app.gui.features.historique.page:HistoriquePage", "historique"),
]
