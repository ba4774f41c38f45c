"""The evidence store at a glance: every piece of evidence, its dates and validity, the criteria it
serves; expired and « expires before the visit » filters; open one with the system viewer."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from qualite_app.certification import preuves, rules
from qualite_app.gui.context import AppContext
from qualite_app.gui.models.rows import Column, RowTableModel
from qualite_app.gui.widgets.common import named

ITEM_TYPES = {"paqss_action": "action PAQSS", "indicateur": "indicateur", "rapport_emis": "rapport émis"}


def _fr(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


COLUMNS = [
    Column("Preuve", lambda p: p.titre),
    Column(
        "Fichier ou élément",
        lambda p: p.nom_fichier or f"{ITEM_TYPES.get(p.item_type, p.item_type)} n° {p.item_id}",
    ),
    Column("Date de la preuve", lambda p: _fr(p.date_preuve)),
    Column("Valide jusqu'au", lambda p: _fr(p.valide_jusqu_au)),
    Column("Critères", lambda p: ", ".join(p.criteres)),
    Column("Propriétaire", lambda p: p.proprietaire),
    Column("Confidentialité", lambda p: rules.CONFIDENTIALITES.get(p.confidentialite, p.confidentialite)),
    Column("Version", lambda p: p.version if p.nom_fichier else ""),
    Column("Déposée le", lambda p: _fr(p.depose_le.date())),
]


class PreuvesView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.date_visite: date | None = None
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.filtre = named(QComboBox(), "filtre_validite")
        for label, key in ((self.tr("Toutes les preuves"), ""), (self.tr("Expirées"), "expirees"),
                           (self.tr("Expirent avant la visite"), "avant_visite")):  # fmt: skip
            self.filtre.addItem(label, key)
        self.filtre.currentIndexChanged.connect(self.reload)
        row.addWidget(self.filtre)
        self.count = named(QLabel(), "compte_preuves")
        row.addWidget(self.count, 1)
        lay.addLayout(row)
        self.model = RowTableModel(COLUMNS, self)
        self.model.muted = lambda p: p.expiree(date.today())
        self.view = named(QTableView(), "liste_preuves")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(1, 200)
        for col in range(2, len(COLUMNS)):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(self._open)
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSplitter

        from qualite_app.gui.widgets.liens import LiensPanel

        #: the selected evidence's chain: the criteria it serves, the item it points to
        self.liens = LiensPanel(ctx, titre=self.tr("Liens de la preuve"))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_links())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.liens)
        split.setSizes([420, 220])
        lay.addWidget(split)

    def load(self, date_visite: date | None) -> None:
        self.date_visite = date_visite
        self.reload()

    def reload(self, *_: object) -> None:
        today = date.today()
        rows = preuves.lister(self.ctx.db)
        key = self.filtre.currentData()
        if key == "expirees":
            rows = [p for p in rows if p.expiree(today)]
        elif key == "avant_visite":
            v = self.date_visite
            rows = [p for p in rows if v and p.valide_jusqu_au and today <= p.valide_jusqu_au < v]
        self.model.set_rows(rows)
        self.count.setText(self.tr("%n preuve(s) (en gris : expirées)", "", len(rows)))
        self._show_links()

    def _show_links(self) -> None:
        row = self.view.currentIndex().row()
        p = self.model.row_at(row) if row >= 0 else None  # type: ignore[attr-defined]
        self.liens.show_for("certif_preuve" if p else None, p.id if p else None, f"« {p.titre} »" if p else "")

    def select(self, preuve_id: int) -> None:
        """The evidence selected in the list (all of them shown if a filter hides it)."""
        for attempt in range(2):
            for row, p in enumerate(self.model.rows):
                if p.id == preuve_id:
                    self.view.selectRow(row)
                    self.view.scrollTo(self.model.index(row, 0))
                    self._show_links()
                    return
            if attempt == 0:
                self.filtre.setCurrentIndex(0)
                self.reload()

    def _open(self, index: object) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from qualite_app.gui.operations import run_write

        p = self.model.row_at(index.row())  # type: ignore[attr-defined]
        if not p.nom_fichier:
            return
        path = run_write(self.ctx, self, preuves.copie_a_ouvrir, self.ctx.db, p.id)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
