"""Pôles and their services: a tree with add, rename and delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.etablissement import identite as etablissement
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write

SECTEURS = ["", "MCO", "SMR", "HAD", "PSY", "EHPAD", "MT", "ADM"]


class ServiceDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, *, pole: bool, values: dict | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pôle") if pole else self.tr("Service"))
        values = values or {}
        form = QFormLayout(self)
        self.nom = QLineEdit(values.get("nom", ""))
        self.code = QLineEdit(values.get("code") or "")
        form.addRow(self.tr("Nom *"), self.nom)
        form.addRow(self.tr("Code"), self.code)
        self.pole = QComboBox()
        self.secteur = QComboBox()
        if not pole:
            self.pole.addItem(self.tr("(aucun pôle)"), None)
            for p in etablissement.list_poles(ctx.db):
                self.pole.addItem(p.nom, p.id)
            self.pole.setCurrentIndex(max(0, self.pole.findData(values.get("pole_id"))))
            self.secteur.addItems(SECTEURS)
            self.secteur.setCurrentText(values.get("secteur") or "")
            form.addRow(self.tr("Pôle"), self.pole)
            form.addRow(self.tr("Secteur d'activité"), self.secteur)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        form.addRow(bb)


class StructureTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_pole_btn = QPushButton(self.tr("Nouveau pôle…"))
        self.add_service_btn = QPushButton(self.tr("Nouveau service…"))
        self.edit_btn = QPushButton(self.tr("Modifier…"))
        self.delete_btn = QPushButton(self.tr("Supprimer"))
        for b in (self.add_pole_btn, self.add_service_btn, self.edit_btn, self.delete_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Pôle / service"), self.tr("Code"), self.tr("Secteur"), self.tr("Personnes")])
        self.tree.setColumnWidth(0, 380)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit())
        lay.addWidget(self.tree)
        self.add_pole_btn.clicked.connect(self.add_pole)
        self.add_service_btn.clicked.connect(self.add_service)
        self.edit_btn.clicked.connect(self.edit)
        self.delete_btn.clicked.connect(self.delete)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        services = etablissement.list_services(self.ctx.db)
        nodes: dict[int | None, QTreeWidgetItem] = {}
        for p in etablissement.list_poles(self.ctx.db):
            it = QTreeWidgetItem([p.nom, p.code or "", "", ""])
            it.setData(0, Qt.ItemDataRole.UserRole, ("pole", p.id, p))
            f = it.font(0)
            f.setBold(True)
            it.setFont(0, f)
            self.tree.addTopLevelItem(it)
            nodes[p.id] = it
        orphans = None
        for s in services:
            parent = nodes.get(s.pole_id)
            if parent is None:
                if orphans is None:
                    orphans = QTreeWidgetItem([self.tr("Services sans pôle"), "", "", ""])
                    self.tree.addTopLevelItem(orphans)
                parent = orphans
            it = QTreeWidgetItem([s.nom, s.code or "", s.secteur or "", str(s.nb_personnes)])
            it.setData(0, Qt.ItemDataRole.UserRole, ("service", s.id, s))
            it.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
            parent.addChild(it)
        self.tree.expandAll()

    def _selected(self) -> tuple | None:
        it = self.tree.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it else None

    def add_pole(self) -> None:
        dlg = ServiceDialog(self.ctx, self, pole=True)
        if dlg.exec() and run_write(self.ctx, self, etablissement.save_pole, self.ctx.db, dlg.nom.text(), dlg.code.text()) is not None:
            self.reload()

    def add_service(self) -> None:
        sel = self._selected()
        values = {"pole_id": sel[1]} if sel and sel[0] == "pole" else {}
        dlg = ServiceDialog(self.ctx, self, pole=False, values=values)
        if dlg.exec() and run_write(
            self.ctx, self, etablissement.save_service, self.ctx.db, dlg.nom.text(), dlg.pole.currentData(), dlg.code.text(), dlg.secteur.currentText()
        ) is not None:
            self.reload()

    def edit(self) -> None:
        sel = self._selected()
        if not sel:
            return
        it = self.tree.currentItem()
        assert it is not None  # _selected() found one
        if sel[0] == "pole":
            dlg = ServiceDialog(self.ctx, self, pole=True, values={"nom": it.text(0), "code": it.text(1)})
            if dlg.exec():  # checked against the version the list read; discarded: the list as the base holds it
                run_write(self.ctx, self, etablissement.save_pole, self.ctx.db, dlg.nom.text(), dlg.code.text(), sel[1],
                          **sel[2].edition(), recharger=lambda: None)  # fmt: skip
        else:
            s = sel[2]
            dlg = ServiceDialog(self.ctx, self, pole=False, values={"nom": s.nom, "code": s.code, "pole_id": s.pole_id, "secteur": s.secteur})
            if dlg.exec():
                run_write(
                    self.ctx, self, etablissement.save_service, self.ctx.db, dlg.nom.text(), dlg.pole.currentData(), dlg.code.text(), dlg.secteur.currentText(), sel[1],
                    **s.edition(), recharger=lambda: None,
                )
        self.reload()

    def delete(self) -> None:
        sel = self._selected()
        if not sel:
            return
        item = self.tree.currentItem()
        assert item is not None
        name = item.text(0)
        if QMessageBox.question(self, self.tr("Supprimer"), self.tr("Supprimer « %1 » ?").replace("%1", name)) != QMessageBox.StandardButton.Yes:
            return
        fn = etablissement.delete_pole if sel[0] == "pole" else etablissement.delete_service
        run_write(self.ctx, self, fn, self.ctx.db, sel[1])
        self.reload()
