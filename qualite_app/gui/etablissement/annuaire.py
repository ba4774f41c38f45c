"""The directory: search as you type (SQL does the filtering), sort by column, open, add, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualite_app.etablissement import annuaire
from qualite_app.etablissement import identite as etablissement
from qualite_app.gui.context import AppContext
from qualite_app.gui.models.rows import Column, RowTableModel
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named, search_box

if TYPE_CHECKING:
    from qualite_app.gui.etablissement.personne_dialog import PersonneDialog

COLUMNS = [
    Column("Nom", lambda r: r.nom, "nom"),
    Column("Prénom", lambda r: r.prenom, "prenom"),
    Column("Fonction", lambda r: r.fonction, "fonction"),
    Column("Service", lambda r: r.service, "service"),
    Column("Tél. fixe", lambda r: r.tel_fixe),
    Column("Mobile", lambda r: r.tel_mobile),
    Column("DECT", lambda r: r.dect, align=Qt.AlignmentFlag.AlignRight),
    Column("Courriel", lambda r: r.email, "email"),
    Column("Rôles", lambda r: r.roles, tooltip=lambda r: r.roles),
]


class AnnuaireTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._sort = ("nom", False)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = search_box(self.tr("Rechercher un nom, une fonction, un rôle, un service…"))
        self.search.setObjectName("rechercheAnnuaire")
        self.service = QComboBox()
        self.actifs = QCheckBox(self.tr("Actifs seulement"))
        self.actifs.setChecked(True)
        bar.addWidget(self.search, 2)
        bar.addWidget(QLabel(self.tr("Service :")))
        bar.addWidget(self.service, 1)
        bar.addWidget(self.actifs)
        bar.addStretch(0)
        self.new_btn = named(QPushButton(self.tr("Nouvelle personne…")), "primary")
        self.open_btn = QPushButton(self.tr("Ouvrir la fiche…"))
        self.delete_btn = QPushButton(self.tr("Supprimer"))
        bar.addWidget(self.new_btn)
        bar.addWidget(self.open_btn)
        bar.addWidget(self.delete_btn)
        lay.addLayout(bar)

        self.model = RowTableModel(COLUMNS, self)
        self.model.muted = lambda r: not r.actif
        self.view = named(QTableView(), "tableAnnuaire")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((130, 110, 230, 190, 110, 110, 60, 240)):
            self.view.setColumnWidth(col, width)
        lay.addWidget(self.view, 1)
        self.count = named(QLabel(), "hint")
        lay.addWidget(self.count)

        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.service.currentIndexChanged.connect(self.reload)
        self.actifs.toggled.connect(self.reload)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.new_btn.clicked.connect(self.new_person)
        self.open_btn.clicked.connect(self.open_selected)
        self.delete_btn.clicked.connect(self.delete_selected)
        self.fill_services()
        self.model.on_sort = self._sort_by
        self.reload()

    def fill_services(self) -> None:
        current = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        self.service.addItem(self.tr("Tous"), None)
        for s in etablissement.list_services(self.ctx.db):
            self.service.addItem(s.nom, s.id)
        self.service.setCurrentIndex(max(0, self.service.findData(current)))
        self.service.blockSignals(False)

    def _sort_by(self, key: str, desc: bool) -> None:
        self._sort = (key, desc)
        self.reload()

    def reload(self) -> None:
        rows = annuaire.list_personnes(
            self.ctx.db,
            self.search.text(),
            service_id=self.service.currentData(),
            actifs_seulement=self.actifs.isChecked(),
            tri=self._sort[0],
            decroissant=self._sort[1],
        )
        self.model.set_rows(rows)
        total = annuaire.count(self.ctx.db)
        if not rows and total == 0:
            self.count.setText(self.tr("L'annuaire est vide : ajoutez une première personne avec « Nouvelle personne… »."))
        elif not rows:
            self.count.setText(self.tr("Aucune personne ne correspond à la recherche."))
        else:
            self.count.setText(self.tr("%1 personne(s) affichée(s) sur %2").replace("%1", str(len(rows))).replace("%2", str(total)))

    def selected_id(self) -> int | None:
        idx = self.view.selectionModel().selectedRows()
        return self.model.row_at(idx[0].row()).id if idx else None

    def open_person(self, personne_id: int | None) -> PersonneDialog:
        from qualite_app.gui.etablissement.personne_dialog import PersonneDialog

        return PersonneDialog(self.ctx, self, personne_id)

    def open_selected(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        if self.open_person(pid).exec():
            self.reload()

    def new_person(self) -> None:
        if self.open_person(None).exec():
            self.reload()

    def delete_selected(self) -> None:
        pid = self.selected_id()
        if pid is None:
            return
        row = self.model.row_at(self.view.selectionModel().selectedRows()[0].row())
        if QMessageBox.question(
            self,
            self.tr("Supprimer"),
            self.tr("Supprimer %1 de l'annuaire ?\n\nPour garder la trace d'une personne partie, décochez plutôt « active ».").replace("%1", row.nom_complet),
        ) != QMessageBox.StandardButton.Yes:
            return
        run_write(self.ctx, self, annuaire.delete_personne, self.ctx.db, pid)
        self.reload()
