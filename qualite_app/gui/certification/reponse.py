"""One answer in full (Entrée or double-click on a row of the grid): answer, reason if not applicable,
comment, evaluator (from the directory), date, method."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from qualite_app.certification import campagnes, rules
from qualite_app.gui.widgets.common import named


class ReponseDialog(QDialog):
    def __init__(self, row: campagnes.GrilleRow, personnes: list[tuple[int, str]], evaluateur_id: int | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.row = row  # what the grid read: the answer's version, checked when it is saved
        self.setWindowTitle(self.tr("Réponse — %1").replace("%1", row.ref))
        self.resize(560, 380)
        form = QFormLayout(self)
        self.valeur = named(QComboBox(), "reponse_valeur")
        for k, v in rules.REPONSES.items():
            self.valeur.addItem(v, k)
        self.valeur.setCurrentIndex(max(0, self.valeur.findData(row.valeur or rules.CONFORME)))
        self.motif = named(QLineEdit(row.motif_na or ""), "reponse_motif")
        self.commentaire = named(QPlainTextEdit(row.commentaire or ""), "reponse_commentaire")
        self.evaluateur = named(QComboBox(), "reponse_evaluateur")
        self.evaluateur.addItem(self.tr("(non précisé)"), None)
        for pid, nom in personnes:
            self.evaluateur.addItem(nom, pid)
        self.evaluateur.setCurrentIndex(max(0, self.evaluateur.findData(evaluateur_id)))
        le = row.date or date.today()
        self.date = named(QDateEdit(QDate(le.year, le.month, le.day)), "reponse_date")
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.methode = named(QComboBox(), "reponse_methode")
        self.methode.addItem(self.tr("(non précisée)"), None)
        for k, v in rules.METHODES.items():
            self.methode.addItem(v, k)
        methode = row.methode or (row.methodes[0] if row.methodes else None)
        self.methode.setCurrentIndex(max(0, self.methode.findData(methode)))
        form.addRow(self.tr("Élément"), named(QLineEdit(f"{row.ref} — {row.titre}"), "reponse_element"))
        form.addRow(self.tr("Réponse"), self.valeur)
        form.addRow(self.tr("Motif (non applicable)"), self.motif)
        form.addRow(self.tr("Commentaire"), self.commentaire)
        form.addRow(self.tr("Évaluateur"), self.evaluateur)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Méthode"), self.methode)
        self.valeur.currentIndexChanged.connect(self._na)
        self._na()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _na(self) -> None:
        self.motif.setEnabled(self.valeur.currentData() == rules.NA)

    def reponse(self, session_id: int | None = None) -> campagnes.Reponse:
        le = self.date.date().toPython()
        assert isinstance(le, date)
        return campagnes.Reponse(
            self.valeur.currentData(), commentaire=self.commentaire.toPlainText().strip(), motif_na=self.motif.text(),
            evaluateur_id=self.evaluateur.currentData(), date=le, methode=self.methode.currentData(),
            session_id=session_id, version_ligne=self.row.version_ligne, charge_le=self.row.charge_le,
        )  # fmt: skip
