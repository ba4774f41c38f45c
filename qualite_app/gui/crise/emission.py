"""*Émettre et signer…*: the binder or the pocket cards issued through the register (reference, letterhead,
signature with the chosen identity, register row) off the UI thread, then saved where the user says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import impression as impr
from qualite_app.errors import UserError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import Progress, run_background, show_error
from qualite_app.gui.widgets.common import named


class EmissionDialog(QDialog):
    def __init__(self, ctx: AppContext, plan_id: int, parent: QWidget | None = None) -> None:
        from qualite_app.rapports import services as rapports

        super().__init__(parent)
        self.ctx, self.plan_id = ctx, plan_id
        self.row: Any = None
        self.setWindowTitle(self.tr("Émettre et signer"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.document = named(QComboBox(), "document")
        self.document.addItem(self.tr("Classeur de crise"), "classeur")
        self.document.addItem(self.tr("Cartes réflexes (A6, quatre par feuille)"), "cartes")
        self.recto_verso = named(
            QCheckBox(self.tr("Recto-verso (fiches sur une page impaire)")), "recto_verso_emission"
        )
        self.identite = named(QComboBox(), "identite")
        self.identite.addItem(self.tr("— émettre sans signature —"), "")
        for r in rapports.lister_identites(ctx.db):
            self.identite.addItem(f"{r.nom} — {r.signataire}", r.nom)
        if self.identite.count() > 1:
            self.identite.setCurrentIndex(1)
        self.password = named(QLineEdit(), "mot_de_passe")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Mot de passe ou code PIN (jamais conservé)"))
        self.recipient = named(QLineEdit(), "destinataire")
        self.recipient.setPlaceholderText(self.tr("Destinataire (cellule de crise, ARS…)"))
        form.addRow(self.tr("Document"), self.document)
        form.addRow("", self.recto_verso)
        form.addRow(self.tr("Signer avec"), self.identite)
        form.addRow(self.tr("Mot de passe"), self.password)
        form.addRow(self.tr("Destinataire"), self.recipient)
        lay.addLayout(form)
        self.result_label = named(QLabel(), "resultat")
        self.result_label.setWordWrap(True)
        lay.addWidget(self.result_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.issue_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.issue_button.setText(self.tr("Émettre…"))
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def issue(self) -> None:
        kind = self.document.currentData()
        suggested = "classeur-crise.pdf" if kind == "classeur" else "cartes-reflexes.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer le document émis"), suggested, "PDF (*.pdf)"
        )
        if not path:
            return
        db, pid, rv = self.ctx.db, self.plan_id, self.recto_verso.isChecked()
        identity = self.identite.currentData() or None
        password = self.password.text() if identity else None
        recipient = self.recipient.text().strip() or None
        self.password.clear()

        def work(progress: Progress) -> Any:
            progress.step(0, 2, "Émission et signature…")
            data = (
                impr.donnees_classeur(db, pid, recto_verso=rv)
                if kind == "classeur"
                else impr.donnees_cartes(db, pid)
            )
            return impr.emettre(db, kind, data, identity=identity, password=password, recipient=recipient)

        def done(row: Any) -> None:
            self.row = row
            try:
                Path(path).write_bytes(row.pdf)
            except OSError as exc:
                show_error(
                    self,
                    UserError(
                        f"Émis sous la référence {row.reference}, mais impossible d'écrire « {path} » : {exc.strerror}"
                    ),
                )
                return
            state = self.tr("signé et émis") if identity else self.tr("émis (non signé)")
            self.result_label.setText(self.tr("%1 %2 : référence %3, inscrit au registre → %4").replace("%1", self.document.currentText())
                                      .replace("%2", state).replace("%3", row.reference).replace("%4", path))  # fmt: skip

        run_background(self.ctx, self, self.tr("Émission"), work, done)
