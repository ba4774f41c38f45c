"""The programme › axes › objectifs tree of the PAQSS page, with its buttons and context menu."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.paqss import services as paqss

#: what a tree item stands for: ("programme" | "axe" | "objectif", id)
NodeKey = tuple[str, int]


def split_code(label: str) -> tuple[str, str]:
    """« A7 Parcours » → ("A7", "Parcours"), as the import reads it."""
    from qualite_app.paqss.echanges import split_code as split

    return split(label)


class StructureTree(QWidget):
    """Shows the programmes and creates or renames their nodes (the page redraws from each write's
    ChangeSet); ``selection_changed`` when the user picks one."""

    selection_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: each node's row version as the tree read it (optimistic locking of a rename)
        self._lu: dict[NodeKey, dict[str, Any]] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Programme › axes › objectifs"), self.tr("Nb")])
        self.tree.headerItem().setToolTip(1, self.tr("Nombre d'actions"))
        self.tree.setColumnWidth(0, 230)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self.selection_changed.emit())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        lay.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.btn_new_prog = QPushButton(self.tr("+ Programme"))
        self.btn_new_prog.clicked.connect(self.new_programme)
        self.btn_new_axe = QPushButton(self.tr("+ Axe"))
        self.btn_new_axe.clicked.connect(self.new_axe)
        self.btn_new_obj = QPushButton(self.tr("+ Objectif"))
        self.btn_new_obj.clicked.connect(self.new_objectif)
        for b in (self.btn_new_prog, self.btn_new_axe, self.btn_new_obj):
            buttons.addWidget(b)
        lay.addLayout(buttons)

    # --- reading -------------------------------------------------------------------------
    def current_key(self) -> NodeKey | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def fill(self, programmes: list[Any]) -> None:
        """Redraw from ``paqss.tree``, keeping the selected node (or the only programme) selected."""
        key = self.current_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._lu.clear()
        select = None
        for prog in programmes:
            p = QTreeWidgetItem([prog.nom, str(sum(a.n_actions for a in prog.axes))])
            p.setData(0, Qt.ItemDataRole.UserRole, ("programme", prog.id))
            self._lu[("programme", prog.id)] = prog.edition()
            self.tree.addTopLevelItem(p)
            for axe in prog.axes:
                a = QTreeWidgetItem([f"{axe.code} {axe.titre}".strip(), str(axe.n_actions)])
                a.setData(0, Qt.ItemDataRole.UserRole, ("axe", axe.id))
                self._lu[("axe", axe.id)] = axe.edition()
                a.setToolTip(0, axe.titre)
                p.addChild(a)
                for o in axe.objectifs:
                    it = QTreeWidgetItem([f"{o.code} {o.titre}".strip(), str(o.n_actions)])
                    it.setData(0, Qt.ItemDataRole.UserRole, ("objectif", o.id))
                    self._lu[("objectif", o.id)] = o.edition()
                    it.setToolTip(0, o.titre)
                    a.addChild(it)
                    if key == ("objectif", o.id):
                        select = it
                if key == ("axe", axe.id):
                    select = a
            if key == ("programme", prog.id) or (
                select is None and key is None and self.tree.topLevelItemCount() == 1
            ):
                select = p
            p.setExpanded(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)

    def node(self, kind: str) -> int | None:
        """Id of the selected node of ``kind`` or of its ancestor of that kind."""
        item = self.tree.currentItem()
        while item is not None:
            k, ident = item.data(0, Qt.ItemDataRole.UserRole)
            if k == kind:
                return int(ident)
            item = item.parent()
        return None

    def narrow(self, f: paqss.ActionFilter) -> paqss.ActionFilter:
        """``f`` limited to the selected programme, axis or objective."""
        key = self.current_key()
        if key is not None:
            kind, ident = key
            setattr(f, {"programme": "programme_id", "axe": "axe_id", "objectif": "objectif_id"}[kind], ident)
        return f

    # --- writing -------------------------------------------------------------------------
    def _ask(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def _write(self, fn: Any, *args: Any, **kw: Any) -> None:
        run_write(self.ctx, self, fn, self.ctx.db, *args, **kw)

    def reload(self) -> None:
        """The tree as the base holds it now (a rename abandoned after someone else's change)."""
        self.fill(paqss.tree(self.ctx.db))

    def new_programme(self) -> None:
        nom = self._ask(self.tr("Nouveau programme"), self.tr("Nom du programme (ex. PAQSS 2026–2029) :"))
        if nom:
            y = date.today().year
            self._write(paqss.save_programme, nom, date(y, 1, 1), date(y + 3, 12, 31))

    def new_axe(self) -> None:
        prog = self.node("programme") or paqss.programme_courant(self.ctx.db)
        if prog is None:
            QMessageBox.information(self, self.tr("PAQSS"), self.tr("Créez d'abord un programme."))
            return
        titre = self._ask(
            self.tr("Nouvel axe"), self.tr("Titre de l'axe (précédé de son code, ex. « A7 Parcours ») :")
        )
        if titre:
            code, t = split_code(titre)
            self._write(paqss.save_axe, prog, t, code)

    def new_objectif(self) -> None:
        axe = self.node("axe")
        if axe is None:
            QMessageBox.information(
                self, self.tr("PAQSS"), self.tr("Sélectionnez d'abord l'axe dans l'arbre.")
            )
            return
        titre = self._ask(
            self.tr("Nouvel objectif"), self.tr("Titre de l'objectif (ex. « A7.1 Réduire les délais ») :")
        )
        if titre:
            code, t = split_code(titre)
            self._write(paqss.save_objectif, axe, t, code)

    def rename_node(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        kind, ident = item.data(0, Qt.ItemDataRole.UserRole)
        titre = self._ask(self.tr("Renommer"), self.tr("Nouveau titre :"), item.text(0))
        if not titre:
            return
        code, t = split_code(titre)
        lu = dict(self._lu.get((kind, ident), {}), recharger=self.reload)  # the version the tree read
        if kind == "programme":
            self._write(paqss.rename_programme, ident, titre, **lu)
        elif kind == "axe":
            self._write(paqss.save_axe, 0, t, code, id=ident, **lu)
        else:
            self._write(paqss.save_objectif, 0, t, code, id=ident, **lu)

    def _menu(self, pos: QPoint) -> None:
        m = QMenu(self.tree)
        m.addAction(self.tr("Nouveau programme…"), self.new_programme)
        m.addAction(self.tr("Nouvel axe…"), self.new_axe)
        if self.node("axe") is not None:
            m.addAction(self.tr("Nouvel objectif…"), self.new_objectif)
        if self.tree.currentItem() is not None:
            m.addSeparator()
            m.addAction(self.tr("Renommer…"), self.rename_node)
        m.exec(self.tree.viewport().mapToGlobal(pos))
