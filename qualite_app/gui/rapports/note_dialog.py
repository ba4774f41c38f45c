"""The note d'information dialog: the form, Générer (preview), Signer et émettre."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write, show_error
from qualite_app.gui.rapports.pdf_view import PdfPreview
from qualite_app.gui.rapports.util import named
from qualite_app.rapports.note import NoteData
from qualite_app.rapports.services import RapportEmisRow


class NoteDialog(QDialog):
    """Fill in the note, *Générer* to preview it, then *Signer et émettre* into the register."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, replaces: tuple[int, str] | None = None) -> None:
        super().__init__(parent)
        from qualite_app.rapports.note import CATEGORIES

        self.ctx = ctx
        self.issued: RapportEmisRow | None = None
        self.replaces = replaces  # (id, reference) of the note this one corrects
        self._pdf: bytes | None = None
        self.setWindowTitle(self.tr("Note d'information au chef d'établissement"))
        if replaces is not None:
            self.setWindowTitle(self.tr("Correction de la note %1").replace("%1", replaces[1]))
        self.resize(1180, 760)
        outer = QVBoxLayout(self)
        split = QSplitter()
        form_host = QWidget()
        form = QFormLayout(form_host)
        self.sujet = named(QLineEdit(), "sujet")
        self.sujet.setPlaceholderText(self.tr("Ex. : Chute grave d'un patient en gériatrie"))
        self.quand = named(QDateTimeEdit(QDateTime.currentDateTime()), "quand")
        self.quand.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.quand.setCalendarPopup(True)
        self.categorie = named(QComboBox(), "categorie")
        for key, label in CATEGORIES.items():
            self.categorie.addItem(label, key)
        self.faits = named(QPlainTextEdit(), "faits")
        self.mesures = named(QPlainTextEdit(), "mesures")
        self.decisions = named(QPlainTextEdit(), "decisions")
        self.informes = named(QPlainTextEdit(), "informes")
        self.pieces = named(QPlainTextEdit(), "pieces")
        self.pieces.setPlaceholderText(self.tr("Une pièce jointe par ligne"))
        for w in (self.faits, self.mesures, self.decisions, self.informes, self.pieces):
            w.setTabChangesFocus(True)
        self.faits.setMinimumHeight(90)
        for w in (self.mesures, self.decisions, self.informes):
            w.setMaximumHeight(80)
        self.pieces.setMaximumHeight(56)
        self.restreinte = named(QCheckBox(self.tr("Diffusion restreinte")), "restreinte")
        self.restreinte.setChecked(True)
        form.addRow(self.tr("Sujet *"), self.sujet)
        form.addRow(self.tr("Date et heure des faits"), self.quand)
        form.addRow(self.tr("Catégorie"), self.categorie)
        form.addRow(self.tr("Faits *"), self.faits)
        form.addRow(self.tr("Mesures immédiates prises"), self.mesures)
        form.addRow(self.tr("Décisions demandées"), self.decisions)
        form.addRow(self.tr("Personnes informées"), self.informes)
        form.addRow(self.tr("Pièces jointes"), self.pieces)
        form.addRow("", self.restreinte)
        self.identite = named(QComboBox(), "identite")
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Mot de passe ou code PIN (jamais conservé)"))
        self.raison = named(QComboBox(), "raison")
        self.raison.setEditable(True)
        self.raison.addItems([self.tr("Approbation"), self.tr("Pour information"), self.tr("Validation"), self.tr("Certifié conforme")])
        form.addRow(self.tr("Signer avec"), self.identite)
        form.addRow(self.tr("Motif de la signature"), self.raison)
        form.addRow(self.tr("Mot de passe"), self.password)
        if replaces is not None:
            banner = named(QLabel(
                self.tr("Cette note remplacera la note %1, qui reste au registre sans modification.").replace("%1", replaces[1])), "remplace")
            banner.setWordWrap(True)
            banner.setStyleSheet("background:#EEF3F8; color:#1F3A5F; padding:6px; border-left:3px solid #2A7F8E")
            form.insertRow(0, banner)
        self.errors = named(QLabel(), "erreurs")
        self.errors.setStyleSheet("color:#C62828")
        self.errors.setWordWrap(True)
        form.addRow(self.errors)
        split.addWidget(form_host)
        self.preview = PdfPreview()
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.btn_generate = named(QPushButton(self.tr("Générer")), "generer")
        self.btn_issue = named(QPushButton(self.tr("Signer et émettre")), "emettre")
        self.btn_issue.setDefault(True)
        self.btn_close = QPushButton(self.tr("Fermer"))
        buttons.addWidget(self.btn_generate)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_issue)
        buttons.addWidget(self.btn_close)
        outer.addLayout(buttons)
        self.btn_generate.clicked.connect(self.generate)
        self.btn_issue.clicked.connect(self.sign_and_issue)
        self.btn_close.clicked.connect(self.reject)
        self._load_identities()

    def _load_identities(self) -> None:
        from qualite_app.rapports import services as rapports

        self.identite.clear()
        rows = rapports.lister_identites(self.ctx.db)
        for r in rows:
            self.identite.addItem(f"{r.nom} — {r.signataire} ({r.genre_label})", r.nom)
        has = bool(rows)
        self.identite.setEnabled(has)
        self.password.setEnabled(has)
        self.btn_issue.setEnabled(has)
        if not has:
            self.identite.addItem(self.tr("Aucune identité : créez-en une (Identités de signature…)"))
            self.btn_issue.setToolTip(self.tr("Créez d'abord une identité de signature."))

    def fill(self, note: NoteData) -> None:
        """Pre-fill the form (correction of an issued note)."""
        self.sujet.setText(note.sujet)
        if note.survenu_le is not None:
            w = note.survenu_le
            self.quand.setDateTime(QDateTime(QDate(w.year, w.month, w.day), QTime(w.hour, w.minute)))
        i = self.categorie.findData(note.categorie)
        self.categorie.setCurrentIndex(max(i, 0))
        self.faits.setPlainText(note.faits)
        self.mesures.setPlainText(note.mesures)
        self.decisions.setPlainText(note.decisions)
        self.informes.setPlainText(note.personnes_informees)
        self.pieces.setPlainText("\n".join(note.pieces_jointes))
        self.restreinte.setChecked(note.restreinte)

    def note_data(self) -> NoteData:
        q = self.quand.dateTime()
        when = datetime(q.date().year(), q.date().month(), q.date().day(), q.time().hour(), q.time().minute())
        return NoteData(
            sujet=self.sujet.text(),
            categorie=self.categorie.currentData(),
            faits=self.faits.toPlainText(),
            survenu_le=when,
            mesures=self.mesures.toPlainText(),
            decisions=self.decisions.toPlainText(),
            personnes_informees=self.informes.toPlainText(),
            pieces_jointes=[x.strip() for x in self.pieces.toPlainText().splitlines() if x.strip()],
            restreinte=self.restreinte.isChecked(),
        )

    def _show_errors(self, exc: UserError) -> None:
        labels = {"sujet": self.sujet, "faits": self.faits}
        for w in labels.values():
            w.setStyleSheet("")
        if isinstance(exc, ValidationError):
            for name in exc.errors:
                if name in labels:
                    labels[name].setStyleSheet("border:1px solid #C62828")
        self.errors.setText(exc.message)

    def generate(self) -> bytes | None:
        from qualite_app.rapports import services as rapports

        try:
            pdf = rapports.generer_note(self.ctx.db, self.note_data())
        except ValidationError as exc:
            self._show_errors(exc)
            return None
        except UserError as exc:
            show_error(self, exc)
            return None
        self.errors.setText("")
        self._pdf = pdf
        self.preview.show_pdf(pdf)
        return pdf

    def sign_and_issue(self) -> None:
        from qualite_app.rapports import services as rapports

        if self.identite.currentData() is None:
            return
        try:
            rapports.valider_note(self.note_data())
        except ValidationError as exc:
            self._show_errors(exc)
            return
        row = run_write(
            self.ctx,
            self,
            rapports.emettre_note,
            self.ctx.db,
            self.note_data(),
            identity=self.identite.currentData(),
            password=self.password.text(),
            replaces=self.replaces[0] if self.replaces else None,
            reason=self.raison.currentText().strip() or "Approbation",
        )
        self.password.clear()  # never kept, even in the widget
        if row is None:
            return
        self.issued = row
        QMessageBox.information(
            self,
            self.tr("Note émise"),
            self.tr("La note %1 a été signée par %2 et inscrite au registre des rapports émis.")
            .replace("%1", row.reference)
            .replace("%2", row.signataire or ""),
        )
        self.accept()


# --- identities ------------------------------------------------------------------------------------------------
