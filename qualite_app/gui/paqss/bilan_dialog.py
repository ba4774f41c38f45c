"""*Bilan du PAQSS*: preview, save as PDF, or sign and issue it into the register of issued reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_background, run_write
from qualite_app.gui.rapports.dialogs import PdfPreview

RECIPIENTS = [
    "COPIL qualité",
    "Commission médicale d'établissement (CME)",
    "Commission des usagers (CDU)",
    "Chef d'établissement",
    "Directoire",
]


class BilanDialog(QDialog):
    def __init__(self, ctx: AppContext, programme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programme_id = programme_id
        self.pdf: bytes | None = None
        self.issued: Any = None
        self.setWindowTitle(self.tr("Bilan du PAQSS"))
        self.resize(1100, 760)
        outer = QVBoxLayout(self)
        split = QSplitter()
        left = QWidget()
        form = QFormLayout(left)
        form.addRow(
            QLabel(
                self.tr("Le bilan compare la situation avec le dernier bilan émis (registre des rapports).")
            )
        )
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient.addItems(RECIPIENTS)
        form.addRow(self.tr("Destinataire"), self.recipient)
        self.identite = QComboBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Mot de passe ou code PIN (jamais conservé)"))
        form.addRow(self.tr("Signer avec"), self.identite)
        form.addRow(self.tr("Mot de passe"), self.password)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        split.addWidget(left)
        self.preview = PdfPreview()
        self.preview.show_message(self.tr("Cliquez sur « Générer » pour voir le bilan tel qu'il sera émis."))
        split.addWidget(self.preview)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        row = QHBoxLayout()
        self.btn_generate = QPushButton(self.tr("Générer"))
        self.btn_save = QPushButton(self.tr("Enregistrer le PDF…"))
        self.btn_issue = QPushButton(self.tr("Signer et émettre"))
        close = QPushButton(self.tr("Fermer"))
        row.addWidget(self.btn_generate)
        row.addWidget(self.btn_save)
        row.addStretch(1)
        row.addWidget(self.btn_issue)
        row.addWidget(close)
        outer.addLayout(row)
        self.btn_generate.clicked.connect(self.generate)
        self.btn_save.clicked.connect(self.save)
        self.btn_issue.clicked.connect(self.issue)
        close.clicked.connect(self.reject)
        self.btn_save.setEnabled(False)
        self._load_identities()

    def _load_identities(self) -> None:
        from qualite_app.rapports import services as rapports

        rows = rapports.lister_identites(self.ctx.db)
        self.identite.clear()
        self.identite.addItem(self.tr("— émettre sans signature —"), None)
        for r in rows:
            self.identite.addItem(f"{r.nom} — {r.signataire}", r.nom)
        if rows:
            self.identite.setCurrentIndex(1)

    def generate(self) -> None:
        from qualite_app.paqss import bilan as paqss_bilan

        pid = self.programme_id
        self.btn_generate.setEnabled(False)

        def work(_p: Any) -> bytes:
            return paqss_bilan.bilan_pdf(self.ctx.db, pid)[0]

        def done(pdf: bytes) -> None:
            self.pdf = pdf
            self.preview.show_pdf(pdf)
            self.btn_generate.setEnabled(True)
            self.btn_save.setEnabled(True)
            self.status.setText(
                self.tr("Aperçu généré : %1 page(s).").replace("%1", str(self.preview.page_count))
            )

        self.job = run_background(
            self.ctx,
            self,
            self.tr("Bilan du PAQSS"),
            work,
            done,
            on_failed=lambda _e: self.btn_generate.setEnabled(True),
        )

    def save(self) -> None:
        if self.pdf is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer le bilan"), "bilan-paqss.pdf", "PDF (*.pdf)"
        )
        if path:
            Path(path).write_bytes(self.pdf)
            self.status.setText(
                self.tr("Bilan enregistré : %1 (non signé, non inscrit au registre).").replace("%1", path)
            )

    def issue(self) -> None:
        from qualite_app.paqss import bilan as paqss_bilan

        identity = self.identite.currentData()
        row = run_write(
            self.ctx,
            self,
            paqss_bilan.emettre_bilan,
            self.ctx.db,
            self.programme_id,
            identity=identity,
            password=self.password.text() if identity else None,
            recipient=self.recipient.currentText().strip() or None,
        )
        self.password.clear()
        if row is None:
            return
        self.issued = row
        self.pdf = row.pdf
        QMessageBox.information(
            self,
            self.tr("Bilan émis"),
            (
                self.tr("Le bilan a été signé et inscrit au registre des rapports émis (n° %1).")
                if identity
                else self.tr("Le bilan a été inscrit au registre des rapports émis (n° %1), sans signature.")
            ).replace("%1", str(row.id)),
        )
        self.accept()
