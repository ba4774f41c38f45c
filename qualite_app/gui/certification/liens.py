"""« Lier un élément… »: an item of the app (a PAQSS action, an indicator, a report of the register) as
evidence of the selected criterion."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from qualite_app.certification import preuves
from qualite_app.gui.widgets.common import named


class LienDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lier un élément de l'application comme preuve"))
        form = QFormLayout(self)
        self.type = named(QComboBox(), "lien_type")
        for code, (label, _hint) in preuves.ELEMENTS.items():
            self.type.addItem(label, code)
        self.reference = named(QLineEdit(), "lien_reference")
        self.titre = named(QLineEdit(), "lien_titre")
        self.titre.setPlaceholderText(self.tr("(par défaut : le type et la référence)"))
        self.type.currentIndexChanged.connect(self._hint)
        form.addRow(self.tr("Élément"), self.type)
        form.addRow(self.tr("Référence ou code"), self.reference)
        form.addRow(self.tr("Titre de la preuve"), self.titre)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self._hint()

    def _hint(self) -> None:
        self.reference.setPlaceholderText(preuves.ELEMENTS[self.type.currentData()][1])

    def values(self) -> tuple[str, str, str]:
        return self.type.currentData(), self.reference.text(), self.titre.text()
