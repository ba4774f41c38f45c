"""The evidence of the selected criterion: the list (double-click opens, right-click for properties and
a new version), files or folders dropped on it attached after a preview, « Lier un élément… » (the
criterion's *Liens* panel finds the item through the global search)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualite_app.certification import preuves
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

ITEM_TYPES = {"paqss_action": "action PAQSS", "indicateur": "indicateur", "rapport_emis": "rapport émis"}


class PreuvesDrop(QListWidget):
    """The evidence of the selected criterion; files or folders dropped here are attached to it."""

    dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, e: Any) -> None:  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dragMoveEvent(self, e: Any) -> None:  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e: Any) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.dropped.emit(paths)


class CriterionEvidence(QWidget):
    changed = Signal()
    #: « Lier un élément… »: the criterion's *Liens* panel links it (the global search, gui/widgets/liens.py)
    link_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.critere_id: int | None = None
        self.last_dialog: QDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.label = QLabel(self.tr("Preuves du critère (déposez ici des fichiers ou des dossiers)"))
        head.addWidget(self.label, 1)
        link = named(QPushButton(self.tr("Lier un élément…")), "btn_lier_element")
        link.setToolTip(self.tr("Une action PAQSS, un indicateur ou un rapport émis comme preuve du critère"))
        link.clicked.connect(self.link_item)
        self.link_btn = link
        head.addWidget(link)
        lay.addLayout(head)
        self.liste = named(PreuvesDrop(), "preuves_critere")
        self.liste.dropped.connect(self.drop_files)
        self.liste.itemDoubleClicked.connect(lambda it: self.open_evidence(it.data(Qt.ItemDataRole.UserRole)))
        self.liste.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.liste.customContextMenuRequested.connect(self._evidence_menu)
        lay.addWidget(self.liste)

    def show_for(self, critere_id: int | None) -> None:
        self.critere_id = critere_id
        self.liste.clear()
        if self.critere_id is None:
            self.label.setText(
                self.tr("Choisissez un critère dans l'arbre pour voir et déposer ses preuves.")
            )
            return
        from datetime import date

        rows = preuves.lister(self.ctx.db, self.critere_id)
        today = date.today()
        self.label.setText(
            self.tr("Preuves du critère : %n (déposez ici des fichiers ou des dossiers)", "", len(rows))
        )
        for p in rows:
            dates = f"du {p.date_preuve:%d/%m/%Y}" if p.date_preuve else "sans date"
            validite = f", valide jusqu'au {p.valide_jusqu_au:%d/%m/%Y}" if p.valide_jusqu_au else ""
            what = p.nom_fichier or f"{ITEM_TYPES.get(p.item_type or '', p.item_type)} n° {p.item_id}"
            text = f"{p.titre} — {what} ({dates}{validite}" + (f", v{p.version})" if p.nom_fichier else ")")
            it = QListWidgetItem(("⚠ EXPIRÉE · " if p.expiree(today) else "") + text)
            it.setData(Qt.ItemDataRole.UserRole, p.id)
            self.liste.addItem(it)

    def drop_files(self, paths: list[Path]) -> None:
        if self.critere_id is None:
            QMessageBox.information(
                self, self.tr("Déposer des preuves"), self.tr("Choisissez d'abord un critère dans l'arbre.")
            )
            return
        try:
            files = preuves.apercu_depot(paths)
        except Exception as exc:  # noqa: BLE001 - shown in French by show_error
            from qualite_app.gui.operations import show_error

            show_error(self, exc)
            return
        if not files:
            return
        names = "\n".join(f"• {f.nom} ({f.taille // 1024 + 1} Ko)" for f in files[:25])
        more = f"\n… et {len(files) - 25} autre(s)" if len(files) > 25 else ""
        ask = QMessageBox.question(self, self.tr("Déposer des preuves"),
                                   self.tr("Rattacher ces %n fichier(s) au critère ?", "", len(files)) + f"\n\n{names}{more}")  # fmt: skip
        if ask != QMessageBox.StandardButton.Yes:
            return
        if run_write(self.ctx, self, preuves.deposer, self.ctx.db, files, [self.critere_id]) is not None:
            self.changed.emit()

    def _evidence_menu(self, pos: Any) -> None:
        it = self.liste.itemAt(pos)
        if it is None:
            return
        pid = it.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        open_act = menu.addAction(self.tr("Ouvrir"))
        props_act = menu.addAction(self.tr("Propriétés (dates, validité, propriétaire)…"))
        replace_act = menu.addAction(self.tr("Remplacer par une nouvelle version…"))
        chosen = menu.exec(self.liste.viewport().mapToGlobal(pos))
        if chosen is open_act:
            self.open_evidence(pid)
        elif chosen is props_act:
            self.edit_evidence(pid)
        elif chosen is replace_act:
            self.replace_evidence(pid)

    def edit_evidence(self, preuve_id: int) -> None:
        from qualite_app.etablissement import annuaire
        from qualite_app.gui.certification.preuve_dialog import PreuveDialog

        data = run_write(self.ctx, self, preuves.donnees, self.ctx.db, preuve_id)
        if data is None:
            return
        people = [(p.id, f"{p.prenom} {p.nom}".strip()) for p in annuaire.list_personnes(self.ctx.db)]
        dlg = PreuveDialog(data, people, self)
        self.last_dialog = dlg
        if dlg.exec() == PreuveDialog.DialogCode.Accepted:
            # discarded: the dialog is closed, the list redraws from the base
            run_write(self.ctx, self, preuves.modifier, self.ctx.db, preuve_id, dlg.data(), recharger=lambda: None)

    def open_evidence(self, preuve_id: int) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        path = run_write(self.ctx, self, preuves.copie_a_ouvrir, self.ctx.db, preuve_id)
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def replace_evidence(self, preuve_id: int) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Nouvelle version de la preuve"))
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Preuve"),
                self.tr("Impossible de lire le fichier : ") + str(exc.strerror or exc),
            )
            return
        if (
            run_write(self.ctx, self, preuves.remplacer, self.ctx.db, preuve_id, data, Path(path).name)
            is not None
        ):
            self.changed.emit()

    def link_item(self) -> None:
        if self.critere_id is None:
            QMessageBox.information(
                self, self.tr("Lier un élément"), self.tr("Choisissez d'abord un critère dans l'arbre.")
            )
            return
        self.link_requested.emit()
