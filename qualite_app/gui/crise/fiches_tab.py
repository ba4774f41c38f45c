"""The fiches réflexes editor: the list of fiches, and the selected one's role, mission, place, documents,
scenarios and timed tasks (phase, task, who), saved in one transaction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise.items import cell_text
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

ROLE = Qt.ItemDataRole.UserRole


class FichesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: v.PlanV | None = None
        self.fiche_id: int | None = None
        lay = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.liste = named(QListWidget(), "fiches")
        self.btn_new = named(QPushButton(self.tr("Nouvelle fiche")), "nouvelle_fiche")
        self.btn_delete = named(QPushButton(self.tr("Supprimer la fiche")), "supprimer_fiche")
        ll.addWidget(self.liste, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.btn_new)
        buttons.addWidget(self.btn_delete)
        ll.addLayout(buttons)
        split.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        form = QFormLayout()
        self.titre = named(QLineEdit(), "titre")
        self.role = named(QComboBox(), "role")
        self.lieu = named(QLineEdit(), "lieu")
        self.mission = named(QPlainTextEdit(), "mission")
        self.mission.setFixedHeight(54)
        self.documents = named(QLineEdit(), "documents")
        self.scenarios = named(QListWidget(), "scenarios")
        self.scenarios.setFixedHeight(90)
        self.scenarios.setFlow(QListWidget.Flow.LeftToRight)
        self.scenarios.setWrapping(True)
        form.addRow(self.tr("Titre"), self.titre)
        form.addRow(self.tr("Rôle"), self.role)
        form.addRow(self.tr("Où se rendre"), self.lieu)
        form.addRow(self.tr("Mission"), self.mission)
        form.addRow(self.tr("Documents"), self.documents)
        form.addRow(self.tr("Scénarios (aucun = tous)"), self.scenarios)
        rl.addLayout(form)
        self.taches = named(QTableWidget(0, 3), "taches")
        self.taches.setHorizontalHeaderLabels([self.tr("Phase"), self.tr("Tâche"), self.tr("Qui")])
        self.taches.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.taches.setColumnWidth(0, 230)
        self.taches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        rl.addWidget(self.taches, 1)
        row = QHBoxLayout()
        self.btn_add = named(QPushButton(self.tr("Ajouter une tâche")), "ajouter_tache")
        self.btn_del = named(QPushButton(self.tr("Retirer la tâche")), "retirer_tache")
        self.btn_save = named(QPushButton(self.tr("Enregistrer la fiche")), "enregistrer_fiche")
        self.btn_save.setDefault(True)
        row.addWidget(self.btn_add)
        row.addWidget(self.btn_del)
        row.addStretch(1)
        row.addWidget(self.btn_save)
        rl.addLayout(row)
        split.addWidget(right)
        split.setSizes([360, 780])
        lay.addWidget(split)
        self.liste.currentItemChanged.connect(lambda it, _p: self.load(it.data(ROLE) if it else None))
        self.btn_new.clicked.connect(lambda: self.load(None))
        self.btn_add.clicked.connect(lambda: self.add_task("immediat", "", ""))
        self.btn_del.clicked.connect(lambda: self.taches.removeRow(self.taches.currentRow()))
        self.btn_save.clicked.connect(self.save)
        self.btn_delete.clicked.connect(self.delete)

    def set_plan(self, plan: v.PlanV | None) -> None:
        keep = self.fiche_id
        self.plan = plan
        self.liste.blockSignals(True)
        self.liste.clear()
        self.role.clear()
        self.scenarios.clear()
        if plan is not None:
            for f in plan.fiches:
                it = QListWidgetItem(f"{f.role_code} — {f.titre}")
                it.setData(ROLE, f.id)
                self.liste.addItem(it)
            for r in plan.roles:
                self.role.addItem(f"{r.code} — {r.libelle}", r.id)
            for x in plan.scenarios:
                it = QListWidgetItem(x.code)
                it.setToolTip(x.nom)
                it.setData(ROLE, x.id)
                it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Unchecked)
                self.scenarios.addItem(it)
        self.liste.blockSignals(False)
        ids = [f.id for f in plan.fiches] if plan else []
        self.load(keep if keep in ids else (ids[0] if ids else None))

    def load(self, fiche_id: int | None) -> None:
        self.fiche_id = fiche_id
        for i in range(self.liste.count()):
            if self.liste.item(i).data(ROLE) == fiche_id:
                self.liste.blockSignals(True)
                self.liste.setCurrentRow(i)
                self.liste.blockSignals(False)
        data = crise.get_fiche(self.ctx.db, fiche_id) if fiche_id else crise.FicheData("", None)
        self._edition = data.edition()  # the version opened (optimistic locking)
        self.titre.setText(data.titre)
        self.role.setCurrentIndex(max(0, self.role.findData(data.role_id)) if data.role_id is not None else 0)
        self.lieu.setText(data.lieu)
        self.mission.setPlainText(data.mission)
        self.documents.setText(data.documents)
        for i in range(self.scenarios.count()):
            it = self.scenarios.item(i)
            it.setCheckState(
                Qt.CheckState.Checked if it.data(ROLE) in data.scenarios else Qt.CheckState.Unchecked
            )
        self.taches.setRowCount(0)
        for t in data.taches:
            self.add_task(t.phase, t.texte, t.qui)
        if fiche_id is None:
            self.titre.setFocus()

    def add_task(self, phase: str, texte: str, qui: str) -> None:
        r = self.taches.rowCount()
        self.taches.insertRow(r)
        combo = QComboBox()
        for code, label in rules.PHASES.items():
            combo.addItem(label, code)
        combo.setCurrentIndex(combo.findData(phase))
        self.taches.setCellWidget(r, 0, combo)
        self.taches.setItem(r, 1, QTableWidgetItem(texte))
        self.taches.setItem(r, 2, QTableWidgetItem(qui))
        if not texte:
            self.taches.setCurrentCell(r, 1)
            item = self.taches.item(r, 1)
            if item is not None:
                self.taches.editItem(item)

    def data(self) -> crise.FicheData:
        taches = []
        for r in range(self.taches.rowCount()):
            combo = self.taches.cellWidget(r, 0)
            assert isinstance(combo, QComboBox)
            texte, qui = cell_text(self.taches, r, 1), cell_text(self.taches, r, 2)
            taches.append(crise.TacheData(combo.currentData(), texte, qui))
        scen = [self.scenarios.item(i).data(ROLE) for i in range(self.scenarios.count())
                if self.scenarios.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip
        return crise.FicheData(self.titre.text(), self.role.currentData(), self.mission.toPlainText(), self.lieu.text(),
                               self.documents.text(), scen, taches, **getattr(self, "_edition", {}))  # fmt: skip

    def delete(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.fiche_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Supprimer la fiche"),
            self.tr("Supprimer la fiche « %1 » du plan ?").replace("%1", self.titre.text()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            fid, self.fiche_id = self.fiche_id, None
            run_write(self.ctx, self, crise.delete_fiche, self.ctx.db, fid)

    def save(self) -> None:
        if self.plan is None:
            return
        fid = run_write(self.ctx, self, crise.save_fiche, self.ctx.db, self.plan.id, self.data(), self.fiche_id,
                        recharger=lambda: self.load(self.fiche_id))  # fmt: skip
        if fid is not None:
            self.load(fid)  # the version just saved: the next save starts from it
