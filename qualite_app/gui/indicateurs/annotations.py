"""The chart's two dialogs: recalculate the control limits from a period (with its reason), annotate a period."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from qualite_app.gui.indicateurs._boutons import franciser
from qualite_app.gui.widgets.common import named
from qualite_app.indicateurs import services as svc


class RebaseDialog(QDialog):
    def __init__(self, serie: svc.Serie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recalculer les limites"))
        form = QFormLayout(self)
        info = QLabel(
            self.tr("Les limites de contrôle repartent de la période choisie, par exemple quand une action a "
                    "durablement changé le processus. Ce choix est le vôtre : il est tracé avec son motif.")  # fmt: skip
        )
        info.setWordWrap(True)
        form.addRow(info)
        self.periode = named(QComboBox(), "rebase_periode")
        for p in serie.periodes[1:]:
            self.periode.addItem(p.libelle, p.debut)
        self.periode.setCurrentIndex(self.periode.count() - 1)
        self.motif = named(QLineEdit(), "rebase_motif")
        self.motif.setPlaceholderText(self.tr("ex. programme de prévention des chutes (action PAQSS)"))
        form.addRow(self.tr("À partir de"), self.periode)
        form.addRow(self.tr("Motif"), self.motif)
        self.buttons = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> tuple[date, str]:
        return self.periode.currentData(), self.motif.text()


class NoteDialog(QDialog):
    def __init__(self, serie: svc.Serie, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Annoter le graphique"))
        form = QFormLayout(self)
        self.periode = named(QComboBox(), "note_periode")
        for p in serie.periodes:
            self.periode.addItem(p.libelle, p.debut)
        self.periode.setCurrentIndex(self.periode.count() - 1)
        self.texte = named(QLineEdit(), "note_texte")
        form.addRow(self.tr("Période"), self.periode)
        form.addRow(self.tr("Annotation"), self.texte)
        b = franciser(QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel))
        b.accepted.connect(self.accept)
        b.rejected.connect(self.reject)
        form.addRow(b)
