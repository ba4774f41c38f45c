"""A piece of evidence's properties: title, the date it speaks of (not the upload date), validity end,
owner (from the directory), confidentiality."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from qualite_app.certification import preuves, rules
from qualite_app.gui.certification.campagne import OptionalDate
from qualite_app.gui.widgets.common import named


class PreuveDialog(QDialog):
    def __init__(
        self, data: preuves.PreuveData, personnes: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Propriétés de la preuve"))
        self.resize(520, 260)
        form = QFormLayout(self)
        self.titre = named(QLineEdit(data.titre), "preuve_titre")
        self.date_preuve = OptionalDate("preuve_date", data.date_preuve)
        self.validite = OptionalDate("preuve_validite", data.valide_jusqu_au)
        self.proprietaire = named(QComboBox(), "preuve_proprietaire")
        self.proprietaire.addItem(self.tr("(non précisé)"), None)
        for pid, nom in personnes:
            self.proprietaire.addItem(nom, pid)
        self.proprietaire.setCurrentIndex(max(0, self.proprietaire.findData(data.proprietaire_id)))
        self.confidentialite = named(QComboBox(), "preuve_confidentialite")
        for k, v in rules.CONFIDENTIALITES.items():
            self.confidentialite.addItem(v, k)
        self.confidentialite.setCurrentIndex(max(0, self.confidentialite.findData(data.confidentialite)))
        form.addRow(self.tr("Titre"), self.titre)
        form.addRow(self.tr("Date de la preuve"), self.date_preuve)
        form.addRow(self.tr("Valide jusqu'au"), self.validite)
        form.addRow(self.tr("Propriétaire"), self.proprietaire)
        form.addRow(self.tr("Confidentialité"), self.confidentialite)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self._description = data.description
        self._edition = (data.version_ligne, data.charge_le)  # what was opened (optimistic locking)

    def data(self) -> preuves.PreuveData:
        return preuves.PreuveData(self.titre.text(), self.date_preuve.value(), self.validite.value(),
                                  self.proprietaire.currentData(), self.confidentialite.currentData(), self._description,
                                  *self._edition)  # fmt: skip
