"""The « Rapports » area: the register of issued reports (filter, open, re-verify, export), the note
d'information, « Vérifier un rapport… » and the signing identities."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.pages import Page
from qualite_app.gui.rapports.table import RapportsModel
from qualite_app.gui.rapports.util import named

MAX_ROWS = 10_000

_Index = QModelIndex | QPersistentModelIndex


class RapportsPage(Page):
    listens_to = frozenset({"rapports", "etablissement"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        title = QLabel(self.tr("Registre des rapports émis"))
        title.setStyleSheet("font-size:14pt; font-weight:600; color:#1F3A5F")
        lay.addWidget(title)
        top = QHBoxLayout()
        self.btn_note = named(QPushButton(self.tr("Nouvelle note d'information…")), "nouvelle_note")
        self.btn_check_file = named(QPushButton(self.tr("Vérifier un rapport…")), "verifier_fichier")
        self.btn_identities = named(QPushButton(self.tr("Identités de signature…")), "identites")
        top.addWidget(self.btn_note)
        top.addWidget(self.btn_check_file)
        top.addWidget(self.btn_identities)
        top.addStretch(1)
        lay.addLayout(top)
        filters = QHBoxLayout()
        self.kind = named(QComboBox(), "filtre_type")
        self.signed = named(QComboBox(), "filtre_signature")
        for label, value in ((self.tr("Signés et non signés"), None), (self.tr("Signés"), True), (self.tr("Non signés"), False)):
            self.signed.addItem(label, value)
        self.search = named(QLineEdit(), "recherche")
        self.search.setPlaceholderText(self.tr("Rechercher (titre, référence, signataire, destinataire)"))
        self.search.setClearButtonEnabled(True)
        filters.addWidget(QLabel(self.tr("Type :")))
        filters.addWidget(self.kind)
        filters.addWidget(self.signed)
        filters.addWidget(self.search, 1)
        lay.addLayout(filters)
        self.model = RapportsModel(self)
        self.table = named(QTableView(), "registre")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        from PySide6.QtWidgets import QSplitter

        from qualite_app.gui.widgets.liens import LiensPanel

        #: the selected report's chain: the criteria it proves, the items it was linked to
        self.liens = LiensPanel(ctx, titre=self.tr("Liens du rapport"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.liens)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.empty = named(QLabel(), "vide")
        self.empty.setStyleSheet("color:#5B6573; padding:6px")
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        actions = QHBoxLayout()
        self.btn_open = named(QPushButton(self.tr("Ouvrir le PDF")), "ouvrir")
        self.btn_verify = named(QPushButton(self.tr("Re-vérifier")), "reverifier")
        self.btn_export = named(QPushButton(self.tr("Exporter…")), "exporter")
        self.btn_correct = named(QPushButton(self.tr("Émettre une correction…")), "corriger")
        self.btn_correct.setToolTip(self.tr("Un rapport signé n'est jamais modifié : la correction est une nouvelle note qui le remplace."))
        for b in (self.btn_open, self.btn_verify, self.btn_export, self.btn_correct):
            actions.addWidget(b)
        actions.addStretch(1)
        self.count = named(QLabel(), "compte")
        actions.addWidget(self.count)
        lay.addLayout(actions)

        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.signed.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_pdf())
        self.btn_note.clicked.connect(lambda: self.new_note())
        self.btn_check_file.clicked.connect(self.verify_file)
        self.btn_identities.clicked.connect(self.edit_identities)
        self.btn_open.clicked.connect(self.open_pdf)
        self.btn_verify.clicked.connect(self.reverify)
        self.btn_export.clicked.connect(self.export)
        self.btn_correct.clicked.connect(self.correct)
        self.last_dialog: QWidget | None = None
        self.reload()

    # --- data ------------------------------------------------------------------------------------
    def _fill_kinds(self) -> None:
        from qualite_app.rapports import services as rapports

        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("Tous"), None)
        for key, label in rapports.kinds_in_register(self.ctx.db):
            self.kind.addItem(label, key)
        i = self.kind.findData(current)
        self.kind.setCurrentIndex(max(i, 0))
        self.kind.blockSignals(False)

    def reload(self) -> None:
        from qualite_app.rapports import services as rapports

        self._fill_kinds()
        kw = {"kind": self.kind.currentData(), "texte": self.search.text(), "signe": self.signed.currentData()}
        rows = rapports.lister(self.ctx.db, limit=MAX_ROWS, **kw)
        total = rapports.compter(self.ctx.db, **kw) if len(rows) == MAX_ROWS else len(rows)
        self.model.set_rows(rows)
        if total == 0:
            if rapports.compter(self.ctx.db) == 0:
                self.empty.setText(self.tr("Aucun rapport émis pour l'instant. Les rapports signés (note d'information, bilans…) s'inscrivent ici."))
            else:
                self.empty.setText(self.tr("Aucun rapport ne correspond à ces filtres."))
            self.empty.show()
        else:
            self.empty.hide()
        shown = f"{len(rows)} sur {total}" if total > len(rows) else str(total)
        self.count.setText(self.tr("%1 rapport(s)").replace("%1", shown))
        self._update_buttons()

    def selected_id(self) -> int | None:
        idx = self.table.selectionModel().selectedRows()
        return self.model.data(idx[0], Qt.ItemDataRole.UserRole) if idx else None

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for b in (self.btn_open, self.btn_verify, self.btn_export):
            b.setEnabled(has)
        row = self._selected_row()
        self.btn_correct.setEnabled(row is not None and row.kind == "note_information")
        rid = self.selected_id()
        if (("rapport_emis", rid) if rid is not None else None) != self.liens.element:
            self.liens.show_for("rapport_emis" if rid is not None else None, rid, getattr(row, "reference", "") or "")

    def _selected_row(self) -> Any:
        idx = self.table.selectionModel().selectedRows()
        return self.model.rows[idx[0].row()] if idx else None

    # --- actions ------------------------------------------------------------------------------------
    def new_note(self, replaces: tuple[int, str] | None = None, note: Any = None) -> None:
        from qualite_app.gui.rapports.dialogs import NoteDialog

        dlg = NoteDialog(self.ctx, self, replaces=replaces)
        if note is not None:
            dlg.fill(note)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.finished.connect(lambda _r: self._after_note(dlg))
        dlg.open()

    def correct(self) -> None:
        from qualite_app.rapports import services as rapports

        row = self._selected_row()
        if row is None:
            return
        note = run_write(self.ctx, self, rapports.note_depuis_registre, self.ctx.db, row.id)
        if note is not None:
            self.new_note(replaces=(row.id, row.reference), note=note)

    def _after_note(self, dlg: Any) -> None:
        if getattr(dlg, "issued", None) is not None:
            self.reload()
            self.select(dlg.issued.id)

    def open_item(self, item_type: str, item_id: int) -> None:
        """From the search: the report selected in the register."""
        if item_type == "rapport":
            self.select(item_id)

    def select(self, rapport_id: int) -> None:
        for row, r in enumerate(self.model.rows):
            if r.id == rapport_id:
                self.table.selectRow(row)
                return

    def edit_identities(self) -> None:
        from qualite_app.gui.rapports.dialogs import IdentitiesDialog

        dlg = IdentitiesDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dlg
        dlg.open()

    def open_pdf(self) -> None:
        from qualite_app.rapports import services as rapports

        rid = self.selected_id()
        if rid is None:
            return
        r = run_write(self.ctx, self, rapports.get, self.ctx.db, rid)
        if r is None:
            return
        folder = Path(tempfile.gettempdir()) / "qualite-rapports"
        folder.mkdir(exist_ok=True)
        target = folder / f"{r.reference or r.id}.pdf"
        target.write_bytes(r.pdf)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def reverify(self) -> None:
        from qualite_app.gui.rapports.dialogs import show_verdict
        from qualite_app.rapports import services as rapports

        rid = self.selected_id()
        if rid is None:
            return
        verdict = run_write(self.ctx, self, rapports.verifier, self.ctx.db, rid)
        if verdict is not None:
            ref = self.model.rows[self.table.selectionModel().selectedRows()[0].row()].reference
            self.last_dialog = show_verdict(self, self.tr("Vérification de %1").replace("%1", ref), verdict)

    def export(self) -> None:
        from qualite_app.rapports import services as rapports

        rid = self.selected_id()
        if rid is None:
            return
        ref = next((r.reference for r in self.model.rows if r.id == rid), str(rid))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Exporter le rapport"), f"{ref}.pdf", self.tr("Documents PDF (*.pdf)"))
        if not path:
            return
        out = run_write(self.ctx, self, rapports.exporter, self.ctx.db, rid, Path(path))
        if out is not None:
            QMessageBox.information(self, self.tr("Export"), self.tr("Rapport exporté : %1").replace("%1", str(out)))

    def verify_file(self) -> None:
        from qualite_app.gui.rapports.dialogs import choose_and_read, show_verdict
        from qualite_app.rapports import services as rapports

        chosen = choose_and_read(self, self.tr("Vérifier un rapport"), self.tr("Documents PDF (*.pdf);;Tous les fichiers (*)"))
        if chosen is None:
            return
        path, data = chosen
        verdict = run_write(self.ctx, self, rapports.verifier_pdf, self.ctx.db, data)
        if verdict is not None:
            self.last_dialog = show_verdict(self, self.tr("Vérification de %1").replace("%1", path.name), verdict)
