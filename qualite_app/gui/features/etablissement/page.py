"""Établissement: identity, pôles and services, directory of people."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from qualite_app.gui.context import AppContext
from qualite_app.gui.features.etablissement.annuaire import AnnuaireTab
from qualite_app.gui.features.etablissement.identite import IdentiteForm
from qualite_app.gui.features.etablissement.structure import StructureTab
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import page_title


class EtablissementPage(Page):
    listens_to = frozenset({"etablissement", "annuaire"})

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title(self.tr("Établissement"), self.tr("Identité, pôles et services, annuaire des personnes et de leurs rôles.")))
        self.tabs = QTabWidget()
        self.identite = IdentiteForm(ctx)
        self.structure = StructureTab(ctx)
        self.annuaire = AnnuaireTab(ctx)
        self.tabs.addTab(self.annuaire, self.tr("Annuaire"))
        self.tabs.addTab(self.identite, self.tr("Identité"))
        self.tabs.addTab(self.structure, self.tr("Pôles et services"))
        lay.addWidget(self.tabs)
        from qualite_app.services import demo

        if demo.is_empty(ctx.db):
            self.tabs.setCurrentWidget(self.identite)

    def screenshot_states(self):  # type: ignore[no-untyped-def]
        """Tabs and the person dialog, for tools/screenshots.py."""

        def tab(widget):  # type: ignore[no-untyped-def]
            return lambda: (self.tabs.setCurrentWidget(widget), None)[1]

        def person():  # type: ignore[no-untyped-def]
            rows = self.annuaire.model.rows
            dlg = self.annuaire.open_person(rows[0].id if rows else None)
            dlg.show()
            return dlg

        return [("identite", tab(self.identite)), ("poles-services", tab(self.structure)), ("fiche-personne", person), ("annuaire", tab(self.annuaire))]

    def reload(self) -> None:
        self.identite.load()
        self.structure.reload()
        self.annuaire.fill_services()
        self.annuaire.reload()
