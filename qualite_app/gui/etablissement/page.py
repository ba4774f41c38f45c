"""Établissement: identity, pôles and services, directory of people."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from qualite_app.gui.context import AppContext
from qualite_app.gui.etablissement.annuaire import AnnuaireTab
from qualite_app.gui.etablissement.identite import IdentiteForm
from qualite_app.gui.etablissement.structure import StructureTab
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import page_title


class EtablissementPage(Page):
    """Tabs are built when first shown: only the directory is built with the main window."""

    listens_to = frozenset({"etablissement", "annuaire"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title(self.tr("Établissement"), self.tr("Identité, pôles et services, annuaire des personnes et de leurs rôles.")))
        self.tabs = QTabWidget()
        self._built: dict[str, QWidget] = {}
        self._factories: dict[str, Callable[[], QWidget]] = {
            "annuaire": lambda: AnnuaireTab(ctx),
            "identite": lambda: IdentiteForm(ctx),
            "structure": lambda: StructureTab(ctx),
        }
        self._order = ["annuaire", "identite", "structure"]
        for label in (self.tr("Annuaire"), self.tr("Identité"), self.tr("Pôles et services")):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, label)
        self.tabs.currentChanged.connect(self._ensure_current)
        lay.addWidget(self.tabs)
        from qualite_app.etablissement import identite as etablissement

        if etablissement.get(ctx.db) is None:
            self.tabs.setCurrentIndex(self._order.index("identite"))
        self._ensure_current()

    def _tab(self, key: str) -> QWidget:
        if key not in self._built:
            widget = self._factories[key]()
            holder = self.tabs.widget(self._order.index(key))
            assert holder is not None
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(widget)
            self._built[key] = widget
        return self._built[key]

    def _ensure_current(self, *_: object) -> None:
        self._tab(self._order[self.tabs.currentIndex()])

    def show_tab(self, key: str) -> QWidget:
        self.tabs.setCurrentIndex(self._order.index(key))
        return self._tab(key)

    def open_item(self, item_type: str, item_id: int) -> None:
        """From the search: a person opens in the directory's form."""
        if item_type == "personne":
            tab = self.show_tab("annuaire")
            self.person_dialog = tab.open_person(item_id)  # type: ignore[attr-defined]
            self.person_dialog.accepted.connect(tab.reload)  # type: ignore[attr-defined]
            self.person_dialog.open()

    @property
    def annuaire(self) -> AnnuaireTab:
        return cast(AnnuaireTab, self._tab("annuaire"))

    @property
    def identite(self) -> IdentiteForm:
        return cast(IdentiteForm, self._tab("identite"))

    @property
    def structure(self) -> StructureTab:
        return cast(StructureTab, self._tab("structure"))

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """Tabs and the person dialog, for tools/screenshots.py."""

        def tab(key: str) -> Callable[[], None]:
            return lambda: (self.show_tab(key), None)[1]

        def person() -> QWidget:
            rows = self.annuaire.model.rows
            dlg = self.annuaire.open_person(rows[0].id if rows else None)
            dlg.show()
            return dlg

        return [("identite", tab("identite")), ("poles-services", tab("structure")), ("fiche-personne", person), ("annuaire", tab("annuaire"))]

    def reload(self) -> None:
        if "identite" in self._built:
            self.identite.load()
        if "structure" in self._built:
            self.structure.reload()
        if "annuaire" in self._built:
            self.annuaire.fill_services()
            self.annuaire.reload()
