"""A campaign's name, référentiel, dates (the visit date drives « expiring before the visit ») and scope."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from qualite_app.certification import campagnes, referentiels
from qualite_app.gui.widgets.common import named


class OptionalDate(QWidget):
    """A date that may be left empty (a check box in front of the date)."""

    def __init__(self, name: str, value: date | None) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.on = named(QCheckBox(), f"{name}_renseignee")
        self.edit = named(
            QDateEdit(QDate(value.year, value.month, value.day) if value else QDate.currentDate()), name
        )
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setCalendarPopup(True)
        self.on.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.on.toggled.connect(self.edit.setEnabled)
        lay.addWidget(self.on)
        lay.addWidget(self.edit, 1)

    def value(self) -> date | None:
        if not self.on.isChecked():
            return None
        d = self.edit.date().toPython()
        assert isinstance(d, date)
        return d


class CampagneDialog(QDialog):
    def __init__(self, refs: list[referentiels.ReferentielRow], row: campagnes.CampagneRow | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Campagne d'autoévaluation") if row else self.tr("Nouvelle campagne d'autoévaluation")
        )
        form = QFormLayout(self)
        self.referentiel = named(QComboBox(), "campagne_referentiel")
        for r in refs:
            self.referentiel.addItem(f"{r.nom} ({r.version})", r.id)
        self.referentiel.setEnabled(row is None)  # a campaign stays on its référentiel
        if row is not None:
            self.referentiel.setCurrentIndex(max(0, self.referentiel.findData(row.referentiel_id)))
        self.nom = named(QLineEdit(row.nom if row else ""), "campagne_nom")
        self.debut = OptionalDate("campagne_debut", row.debut if row else date.today())
        self.fin = OptionalDate("campagne_fin", row.fin if row else None)
        self.visite = OptionalDate("campagne_visite", row.date_visite if row else None)
        self.sites = named(QLineEdit(row.sites if row else ""), "campagne_sites")
        self.secteurs = named(QLineEdit(row.secteurs if row else ""), "campagne_secteurs")
        self.sites.setPlaceholderText(self.tr("Site principal, site de gériatrie…"))
        self.secteurs.setPlaceholderText(self.tr("MCO, SMR, psychiatrie…"))
        for label, w in ((self.tr("Référentiel"), self.referentiel), (self.tr("Nom"), self.nom), (self.tr("Début"), self.debut),
                         (self.tr("Fin"), self.fin), (self.tr("Visite prévue le"), self.visite), (self.tr("Sites"), self.sites),
                         (self.tr("Secteurs"), self.secteurs)):  # fmt: skip
            form.addRow(label, w)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def values(self) -> dict[str, Any]:
        return {"nom": self.nom.text(), "debut": self.debut.value(), "fin": self.fin.value(),
                "date_visite": self.visite.value(), "sites": self.sites.text(), "secteurs": self.secteurs.text()}  # fmt: skip
