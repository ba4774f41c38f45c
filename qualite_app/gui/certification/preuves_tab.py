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
        lay.addWidget(self.view)

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
