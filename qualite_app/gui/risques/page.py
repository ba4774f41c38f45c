"""Cartographie des risques: the gross and residual 5×5 heat maps side by side; a click on a cell lists its
risks; filter by process; the signed risk-map report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.pages import Page
from qualite_app.gui.risques.heatmap import HeatMap
from qualite_app.gui.widgets.common import named, page_title
from qualite_app.gui.widgets.signature import choisir_signature
from qualite_app.risques import rules
from qualite_app.risques import services as risques

HEADERS = [
    "Réf.",
    "Processus",
    "Danger",
    "G × F",
    "Criticité brute",
    "Criticité résiduelle",
    "Propriétaire",
    "Revue",
    "Actions PAQSS",
]


class RisquesPage(Page):
    listens_to = frozenset({"risques", "paqss", "annuaire"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.cell: tuple[int, int, bool] | None = None  # (G, F, residual)
        self.dialog: QWidget | None = None
        self.seuils_dialog: QWidget | None = None
        self.import_dialog: QWidget | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(page_title(self.tr("Cartographie des risques"),
                                   self.tr("Criticité brute et résiduelle (gravité × fréquence). Cliquez une case pour voir ses risques.")))  # fmt: skip
        bar = QHBoxLayout()
        self.processus = named(QComboBox(), "processus")
        self.processus.currentIndexChanged.connect(lambda *_: self.reload())
        bar.addWidget(QLabel(self.tr("Processus :")))
        bar.addWidget(self.processus)
        self.zones = named(QLabel(), "zones")
        bar.addWidget(self.zones)
        bar.addStretch(1)
        self.btn_new = named(QPushButton(self.tr("Nouveau risque")), "btnNouveau")
        self.btn_new.clicked.connect(lambda: self.edit(None))
        self.btn_edit = named(QPushButton(self.tr("Modifier")), "btnModifier")
        self.btn_edit.clicked.connect(self.edit_current)
        self.btn_action = named(QPushButton(self.tr("Action PAQSS…")), "btnAction")
        self.btn_action.clicked.connect(self.plan_action)
        self.btn_import = named(QPushButton(self.tr("Importer…")), "btnImport")
        self.btn_import.clicked.connect(self.import_file)
        self.btn_seuils = named(QPushButton(self.tr("Seuils des zones…")), "btnSeuils")
        self.btn_seuils.clicked.connect(self.edit_seuils)
        buttons = QHBoxLayout()
        for b in (self.btn_new, self.btn_edit, self.btn_action, self.btn_import, self.btn_seuils):
            buttons.addWidget(b)
        self.btn_report = named(QPushButton(self.tr("Cartographie (PDF)…")), "btnReport")
        self.btn_report.clicked.connect(self.report)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_report)
        outer.addLayout(bar)
        outer.addLayout(buttons)
        maps = QHBoxLayout()
        self.brute = named(HeatMap(self.tr("Criticité brute")), "carteBrute")
        self.residuelle = named(HeatMap(self.tr("Criticité résiduelle")), "carteResiduelle")
        self.brute.cellClicked.connect(lambda g, f: self.show_cell(g, f, False))
        self.residuelle.cellClicked.connect(lambda g, f: self.show_cell(g, f, True))
        maps.addWidget(self.brute)
        maps.addSpacing(30)
        maps.addWidget(self.residuelle)
        maps.addStretch(1)
        outer.addLayout(maps)
        self.cell_label = named(QLabel(), "cellLabel")
        outer.addWidget(self.cell_label)
        self.table = named(QTableWidget(0, len(HEADERS)), "risques")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda *_: self.edit_current())
        outer.addWidget(self.table, 1)
        self._fill_processus()
        self.reload()

    def _fill_processus(self) -> None:
        self.processus.blockSignals(True)
        current = self.processus.currentData()
        self.processus.clear()
        self.processus.addItem(self.tr("Tous"), None)
        for p in risques.processus(self.ctx.db):
            self.processus.addItem(p, p)
        i = self.processus.findData(current)
        self.processus.setCurrentIndex(max(i, 0))
        self.processus.blockSignals(False)

    def reload(self) -> None:
        c = risques.carte(self.ctx.db, self.processus.currentData())
        self.brute.set_data(c.brute, c.seuils)
        self.residuelle.set_data(c.residuelle, c.seuils)
        s = c.seuils
        self.zones.setText(self.tr("%1 risques · tolérable à partir de %2, inacceptable à partir de %3")
                           .replace("%1", str(c.total)).replace("%2", str(s.tolerable)).replace("%3", str(s.inacceptable)))  # fmt: skip
        if self.cell is not None:
            self.show_cell(*self.cell)
        else:
            self._fill(risques.list_risques(self.ctx.db, processus=self.processus.currentData()))
            self.cell_label.setText(self.tr("Tous les risques, par criticité brute décroissante"))

    def show_cell(self, g: int, f: int, residual: bool) -> None:
        self.cell = (g, f, residual)
        (self.residuelle if residual else self.brute).selected = (g, f)
        (self.brute if residual else self.residuelle).selected = None
        self.brute.update()
        self.residuelle.update()
        rows = risques.list_risques(
            self.ctx.db, processus=self.processus.currentData(), cellule=(g, f), residuelle=residual
        )
        kind = self.tr("résiduelle") if residual else self.tr("brute")
        self.cell_label.setText(self.tr("Case G%1 × F%2 (criticité %3) : %4 risque(s)")
                                .replace("%1", str(g)).replace("%2", str(f)).replace("%3", kind).replace("%4", str(len(rows))))  # fmt: skip
        self._fill(rows)

    def _fill(self, rows: list[risques.RisqueRow]) -> None:
        today = date.today()
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        actions = risques.nombre_actions(self.ctx.db, [r.id for r in rows])
        for i, r in enumerate(rows):
            cells = [r.reference, r.processus, r.danger, f"{r.gravite} × {r.frequence}",
                     f"{r.criticite} — {rules.ZONES.get(r.zone or '', '')}",
                     f"{r.criticite_residuelle} — {rules.ZONES.get(r.zone_residuelle or '', '')}" if r.criticite_residuelle else "—",
                     r.proprietaire, r.revue_le.strftime("%d/%m/%Y") if r.revue_le else "",
                     str(actions.get(r.id) or "")]  # fmt: skip
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                if j == 4 and r.zone:
                    item.setBackground(QBrush(QColor(rules.ZONE_COULEURS[r.zone]).lighter(140)))
                if j == 5 and r.zone_residuelle:
                    item.setBackground(QBrush(QColor(rules.ZONE_COULEURS[r.zone_residuelle]).lighter(140)))
                if j == 7 and r.revue_le and r.revue_le < today:  # review overdue
                    item.setForeground(QBrush(QColor("#B71C1C")))
                    item.setToolTip(self.tr("Revue en retard"))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """A clicked cell, a risk's form, the cut-offs — for tools/screenshots.py."""

        def cell() -> None:
            c = risques.carte(self.ctx.db)
            g, f = max(
                ((g, f) for g in range(1, 6) for f in range(1, 6)),
                key=lambda k: (c.brute[k[0] - 1][k[1] - 1], k),
            )
            self.show_cell(g, f, False)

        def form() -> QWidget | None:
            self.table.setCurrentCell(0, 0)
            self.edit_current()
            return self.dialog

        def seuils() -> QWidget | None:
            self.edit_seuils()
            return self.seuils_dialog

        return [("case", cell), ("risque", form), ("seuils", seuils)]

    def open_item(self, item_type: str, item_id: int) -> None:
        """From « Aujourd'hui » or the search: a risk opens in its form."""
        if item_type == "risque":
            self.edit(item_id)

    def current_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def edit_current(self) -> None:
        rid = self.current_id()
        if rid is not None:
            self.edit(rid)

    def edit(self, risque_id: int | None) -> None:
        from qualite_app.gui.risques.risque_dialog import RisqueDialog

        self.dialog = RisqueDialog(self.ctx, self, risque_id)
        self.dialog.accepted.connect(self._after_edit)
        self.dialog.open()

    def _after_edit(self) -> None:
        self._fill_processus()
        self.reload()

    def import_file(self) -> None:
        """An existing risk-map workbook, through the import pipeline (preview, all or nothing)."""
        from qualite_app.gui.evenements.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(
            self.ctx, self, "qualite_app.risques.imports", self.tr("Importer une cartographie des risques")
        )
        self.import_dialog.finished.connect(lambda *_: self._after_edit())
        self.import_dialog.open()
        self.import_dialog.choose()

    def edit_seuils(self) -> None:
        from qualite_app.gui.risques.risque_dialog import SeuilsDialog

        self.seuils_dialog = SeuilsDialog(self.ctx, self)
        self.seuils_dialog.accepted.connect(self.reload)
        self.seuils_dialog.open()

    def plan_action(self) -> None:
        """The selected risk's planned action becomes a PAQSS action (source « risques »), linked to it."""
        from PySide6.QtWidgets import QInputDialog

        rid = self.current_id()
        if rid is None:
            return
        title, ok = QInputDialog.getText(
            self, self.tr("Action PAQSS"), self.tr("Intitulé de l'action planifiée :")
        )
        done = (
            run_write(self.ctx, self, risques.planifier_action, self.ctx.db, rid, title.strip())
            if ok and title.strip()
            else None
        )
        if done is not None:
            self.reload()

    def report(self) -> None:
        from qualite_app.risques import rapport

        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Cartographie des risques"), "cartographie-risques.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        sign = choisir_signature(self, self.ctx.db, self.tr("la cartographie"))
        if sign is None:
            return
        # issued through the register (numbered, letterhead, signed when an identity was chosen), one transaction
        row = run_write(self.ctx, self, rapport.emettre_carte, self.ctx.db, identity=sign[0], password=sign[1])
        if row is not None:
            with open(path, "wb") as f:
                f.write(row.pdf)
