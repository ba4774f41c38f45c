"""The *Liens* panel every item's page shows: the item's chain in both directions, grouped by kind in the
order of the chain (socle/chaine.py), a double-click or Entrée opening the linked item in its page,
« Lier à… » (the global search: type, choose, nature, OK) and « Délier ». It redraws itself when a
transaction writes a relation (``lien``, the certification evidence, the analyses' events) or a linked kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named, tree_leaves
from qualite_app.socle import chaine

ROLE = Qt.ItemDataRole.UserRole
#: natures proposed in « Lier à… » (any other can be typed)
NATURES = ("", "lié à", "répond à", "mesurée par", "découle de", "complète", "remplace")
#: what a panel redraws on: the relations and every kind it may show
ECOUTE = chaine.TABLES_RELATIONS | {g.table for g in chaine.GENRES} | {"*"}


def _fleche(lien: chaine.LienVu) -> str:
    return ("→ " if lien.direction == "sortant" else "← ") + lien.nature


class LierDialog(QDialog):
    """« Lier à… »: the global search's field and results (``SearchPanel``), the item chosen, an optional
    nature, OK. The item itself and what cannot be linked (a person) are left out of the results."""

    def __init__(
        self, ctx: AppContext, element: tuple[str, int], libelle: str, parent: QWidget | None = None
    ) -> None:
        from qualite_app.gui.accueil.recherche import SearchPanel

        super().__init__(parent)
        self.setWindowTitle(self.tr("Lier « %1 » à…").replace("%1", libelle))
        self.resize(720, 480)
        self.choice: Any = None
        lay = QVBoxLayout(self)
        self.search = SearchPanel(
            ctx, self, placeholder=self.tr("Chercher l'élément à lier : référence, titre, mots du texte…")
        )
        self.search.enter_hint = self.tr("Entrée choisit la ligne en surbrillance.")

        def exclu(r: Any) -> bool:
            table = chaine.table_de(r.domaine, r.item_type)
            return table is None or (table, r.item_id) == element

        self.search.exclure = exclu
        self.search.chosen.connect(self._choose)
        lay.addWidget(self.search, 1)
        form = QFormLayout()
        self.chosen_label = named(QLabel(self.tr("(aucun élément choisi)")), "lier_choix")
        self.chosen_label.setWordWrap(True)
        form.addRow(self.tr("Élément choisi :"), self.chosen_label)
        self.nature = named(QComboBox(), "lier_nature")
        self.nature.setEditable(True)
        self.nature.addItems(NATURES)
        line = self.nature.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("(par défaut : la nature habituelle, sinon « lié à »)"))
        self.nature.setToolTip(
            self.tr(
                "Facultative. Un critère et une action, un indicateur ou un rapport : l'élément devient une preuve "
                "du critère ; un événement et une analyse : l'événement rejoint l'analyse."
            )
        )
        form.addRow(self.tr("Nature du lien :"), self.nature)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Lier"))
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.search.field.setFocus()

    def _choose(self, r: Any) -> None:
        self.choice = r
        groupe = next((g.libelle for g in self.search.groupes if r in g.resultats), "")
        text = " — ".join(x for x in (r.reference, r.titre) if x)
        self.chosen_label.setText(f"{groupe} : {text}" if groupe else text)
        self.ok.setEnabled(True)
        self.ok.setDefault(True)
        self.ok.setFocus()

    def valeurs(self) -> tuple[tuple[str, int], str] | None:
        """(the chosen item as (table, id), the nature), or None."""
        if self.choice is None:
            return None
        table = chaine.table_de(self.choice.domaine, self.choice.item_type)
        return ((table, self.choice.item_id), self.nature.currentText()) if table else None


class LiensPanel(QWidget):
    """The item's links, grouped by kind; ``show_for(table, id)`` chooses the item (None: not saved yet)."""

    #: (domaine, item_type, id) of the item about to open, emitted before ``open_item``
    opening = Signal(object)
    #: the number of links shown, after each redraw (a tab's title)
    counted = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, titre: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.element: tuple[str, int] | None = None
        self.libelle = ""
        self.groupes: list[chaine.GroupeLiens] = []
        self.last_dialog: QDialog | None = None
        self._stale = False
        self._titre = titre or self.tr("Liens")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = named(QLabel(self._titre), "liens_titre")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        head.addWidget(self.title, 1)
        self.btn_lier = named(QPushButton(self.tr("Lier à…")), "btn_lier_a")
        self.btn_lier.setToolTip(self.tr("Chercher un élément de l'application et le lier à celui-ci"))
        self.btn_lier.clicked.connect(self.link)
        self.btn_delier = named(QPushButton(self.tr("Délier")), "btn_delier")
        self.btn_delier.clicked.connect(self.unlink)
        head.addWidget(self.btn_lier)
        head.addWidget(self.btn_delier)
        lay.addLayout(head)
        self.tree = named(QTreeWidget(), "liens_arbre")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Référence"), self.tr("Titre"), self.tr("Lien")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        head_view = self.tree.header()
        head_view.setStretchLastSection(False)
        head_view.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head_view.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(0, 130)
        # a double-click or Entrée (not « activated »: a single click on some desktops)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.installEventFilter(self)
        self.tree.currentItemChanged.connect(lambda *_: self._buttons())
        lay.addWidget(self.tree, 1)
        self.hint = named(QLabel(), "hint")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        ctx.bus.changed.connect(self._on_changed)
        self.show_for(None, None)

    # --- showing ---------------------------------------------------------------------------
    def show_for(self, table: str | None, item_id: int | None, libelle: str = "") -> None:
        self.element = (table, item_id) if table and item_id is not None else None
        self.libelle = libelle
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.tree.clear()
        self.groupes = chaine.liens_de(self.ctx.db, *self.element) if self.element else []
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for g in self.groupes:
            head = QTreeWidgetItem([f"{g.libelle} ({len(g.liens)})"])
            head.setFont(0, bold)
            head.setForeground(0, QBrush(QColor("#1F3A5F")))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for lien in g.liens:
                item = QTreeWidgetItem([lien.reference, lien.titre, _fleche(lien)])
                item.setData(0, ROLE, lien)
                item.setToolTip(1, lien.titre)
                item.setToolTip(2, lien.pourquoi or self._phrase(lien))
                head.addChild(item)
        self.tree.expandAll()
        n = chaine.compter(self.groupes)
        self.title.setText(f"{self._titre} ({n})" if self.element else self._titre)
        if self.element is None:
            self.hint.setText(self.tr("Enregistrez d'abord l'élément pour le lier à d'autres."))
        elif n == 0:
            self.hint.setText(self.tr("Aucun lien pour l'instant : « Lier à… » cherche l'élément à lier."))
        else:
            self.hint.setText(self.tr("Double-clic ou Entrée : ouvrir l'élément lié."))
        self._buttons()
        self.counted.emit(n)

    def _phrase(self, lien: chaine.LienVu) -> str:
        autre = " ".join(x for x in (lien.reference, lien.titre) if x)
        ceci = self.libelle or self.tr("cet élément")
        return (
            f"{ceci} {lien.nature} {autre}"
            if lien.direction == "sortant"
            else f"{autre} {lien.nature} {ceci}"
        )

    def _buttons(self) -> None:
        self.btn_lier.setEnabled(self.element is not None)
        self.btn_delier.setEnabled(self.current() is not None)

    def items(self) -> list[QTreeWidgetItem]:
        """The linked items' rows (the groups' headings apart)."""
        return tree_leaves(self.tree)

    def current(self) -> chaine.LienVu | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item is not None else None

    def _on_changed(self, names: set[str]) -> None:
        if self.element is None or not names & ECOUTE:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # --- acting --------------------------------------------------------------------------------
    def link(self) -> None:
        """« Lier à… »: the dialog opens (window-modal); its OK links."""
        if self.element is None:
            return
        dlg = LierDialog(self.ctx, self.element, self.libelle or self._titre, self)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.accepted.connect(lambda: self._link_chosen(dlg))
        self.last_dialog = dlg
        dlg.open()

    def _link_chosen(self, dlg: LierDialog) -> None:
        v = dlg.valeurs()
        if self.element is None or v is None:
            return
        autre, nature = v
        if run_write(self.ctx, self, chaine.lier, self.ctx.db, self.element, autre, nature) is not None:
            self.refresh()

    def unlink(self) -> None:
        lien = self.current()
        if lien is None:
            return
        if not lien.deliable:
            QMessageBox.information(
                self, self.tr("Délier"), lien.pourquoi or self.tr("Ce lien ne se retire pas d'ici.")
            )
            return
        what = " — ".join(x for x in (lien.reference, lien.titre) if x)
        ask = QMessageBox.question(
            self,
            self.tr("Délier"),
            self.tr("Retirer le lien « %1 » avec %2 ?").replace("%1", lien.nature).replace("%2", what),
        )
        if ask != QMessageBox.StandardButton.Yes:
            return
        if run_write(self.ctx, self, chaine.delier, self.ctx.db, lien.cle) is not None:
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (item := self.tree.currentItem()):
                self._activated(item)
                return True
        return super().eventFilter(watched, event)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        lien = item.data(0, ROLE)
        if lien is not None:
            self.open(lien)

    def open(self, lien: chaine.LienVu) -> None:
        """The linked item in its page; a dialog holding the panel closes first (asked, it may hold edits)."""
        if not lien.ouvrable:
            QMessageBox.information(
                self, self.tr("Ouvrir"), self.tr("Cet élément s'ouvre depuis sa propre page.")
            )
            return
        host = self.window()
        main: QWidget | None = host
        while main is not None and not hasattr(main, "open_item"):
            parent = main.parentWidget()
            main = parent.window() if parent is not None else None
        if main is None:
            return
        if host is not main and isinstance(host, QDialog):
            what = " — ".join(x for x in (lien.reference, lien.titre) if x)
            ask = QMessageBox.question(
                self, self.tr("Ouvrir"),
                self.tr("Fermer cette fenêtre pour ouvrir « %1 » ? Ce qui n'y est pas enregistré sera perdu.").replace("%1", what),
            )  # fmt: skip
            if ask != QMessageBox.StandardButton.Yes:
                return
            host.reject()
        self.opening.emit((lien.domaine, lien.item_type, lien.id))
        main.open_item(lien.domaine, lien.item_type, lien.id)


__all__ = ["LierDialog", "LiensPanel"]
