"""Declare or correct an event from the keyboard: every field reachable with Tab, Ctrl+Entrée saves.

The lists (types, sub-types, severity scale) are those of the establishment's country. The free texts
carry the reminder: no name nor anything that identifies the patient."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.evenements import catalogue, rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import FieldError, mark_invalid, named
from qualite_app.socle import versions

RAPPEL = "Sans nom, date de naissance ni numéro de dossier : rien qui identifie le patient."


def _text_edit(name: str, placeholder: str, height: int = 64) -> QPlainTextEdit:
    e = named(QPlainTextEdit(), name)
    e.setPlaceholderText(placeholder)
    e.setTabChangesFocus(True)  # Tab goes to the next field: a declaration by keyboard only
    e.setFixedHeight(height)
    return e


class DeclarationDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, evenement_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.evenement_id = evenement_id
        self.saved_id: int | None = None
        self.setWindowTitle(
            self.tr("Déclarer un événement indésirable")
            if evenement_id is None
            else self.tr("Corriger l'événement")
        )
        self.pays = evenements.pays_etablissement(ctx.db)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.survenu = named(QDateTimeEdit(QDateTime.currentDateTime()), "survenu")
        self.survenu.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.survenu.setCalendarPopup(True)
        self.declare = named(QDateEdit(QDate.currentDate()), "declare")
        self.declare.setDisplayFormat("dd/MM/yyyy")
        self.declare.setCalendarPopup(True)
        self.service = named(QComboBox(), "service")
        self.service.addItem(self.tr("— service —"), None)
        for sid, nom in evenements.choix_services(ctx.db):
            self.service.addItem(nom, sid)
        self.lieu = named(QLineEdit(), "lieu")
        self.lieu.setPlaceholderText(self.tr("chambre, couloir, salle d'examen…"))
        self.type = named(QComboBox(), "type")
        self.type.addItem(self.tr("— type —"), "")
        self._types = catalogue.types(self.pays)
        for t in self._types:
            self.type.addItem(t.libelle, t.code)
        self.sous_type = named(QComboBox(), "sous_type")
        self.type.currentIndexChanged.connect(self._fill_subtypes)
        self.gravite = named(QComboBox(), "gravite")
        self.gravite.addItem(self.tr("— non évaluée —"), None)
        for n in catalogue.echelle(self.pays).niveaux:
            self.gravite.addItem(n.libelle, n.code)
            self.gravite.setItemData(self.gravite.count() - 1, n.aide, 3)  # tooltip
        self.faits = _text_edit("faits", self.tr("Ce qui s'est passé. ") + RAPPEL, 90)
        self.mesures = _text_edit("mesures", self.tr("Mesures prises immédiatement"))
        self.consequences = _text_edit("consequences", self.tr("Conséquences pour le patient, le service"))
        self.informe = named(QComboBox(), "informe")
        for label, value in (
            (self.tr("Non renseigné"), None),
            (self.tr("Oui"), True),
            (self.tr("Non"), False),
        ):
            self.informe.addItem(label, value)
        self.role = named(QLineEdit(), "role")
        self.role.setPlaceholderText(self.tr("infirmier·ère, médecin, cadre… (pas de nom)"))
        rows = [(self.tr("Survenu le"), self.survenu), (self.tr("Déclaré le"), self.declare), (self.tr("Service"), self.service),
                (self.tr("Lieu précis"), self.lieu), (self.tr("Type"), self.type), (self.tr("Sous-type"), self.sous_type),
                (self.tr("Gravité"), self.gravite), (self.tr("Faits"), self.faits), (self.tr("Mesures immédiates"), self.mesures),
                (self.tr("Conséquences"), self.consequences), (catalogue.libelle_information(self.pays), self.informe),
                (self.tr("Fonction du déclarant"), self.role)]  # fmt: skip
        self.statut = named(QComboBox(), "statut")
        for code, label in rules.STATUTS.items():
            self.statut.addItem(label, code)
        if evenement_id is not None:  # a new event is « Déclaré »; its status moves when it is corrected
            rows.append((self.tr("Statut"), self.statut))
        else:
            self.statut.hide()
        for label, w in rows:
            form.addRow(label, w)
        lay.addLayout(form)
        self.reminder = QLabel(RAPPEL)
        self.reminder.setWordWrap(True)
        self.reminder.setStyleSheet("color:#5B6573; font-size:11px;")
        lay.addWidget(self.reminder)
        self.error = FieldError()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer (Ctrl+Entrée)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self).activated.connect(self.save)
        self._fill_subtypes()
        if evenement_id is not None:
            self._load(evenement_id)
        self.survenu.setFocus()
        self.resize(620, 720)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Ctrl+Entrée saves from anywhere in the form (also when the shortcut map does not see the key)."""
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return
        super().keyPressEvent(event)

    def _fill_subtypes(self, *_: object) -> None:
        self.sous_type.clear()
        self.sous_type.addItem(self.tr("—"), None)
        code = self.type.currentData()
        for t in self._types:
            if t.code == code:
                for k, v in t.sous_types.items():
                    self.sous_type.addItem(v, k)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(max(i, 0))

    def _load(self, evenement_id: int) -> None:
        self._fill(evenements.get_evenement(self.ctx.db, evenement_id))

    def _fill(self, e: evenements.EvenementData) -> None:
        self._data = e  # what was opened (its version too): never changed by ``data()``, the base of a merge
        if e.survenu_le:
            self.survenu.setDateTime(QDateTime(QDate(e.survenu_le.year, e.survenu_le.month, e.survenu_le.day),
                                               QTime(e.survenu_le.hour, e.survenu_le.minute)))  # fmt: skip
        if e.declare_le:
            self.declare.setDate(QDate(e.declare_le.year, e.declare_le.month, e.declare_le.day))
        self._select(self.service, e.service_id)
        self.lieu.setText(e.lieu or "")
        self._select(self.type, e.type_code)
        self._select(self.sous_type, e.sous_type_code)
        self._select(self.gravite, e.gravite)
        self.faits.setPlainText(e.faits)
        self.mesures.setPlainText(e.mesures_immediates or "")
        self.consequences.setPlainText(e.consequences or "")
        self._select(self.informe, e.informe)
        self.role.setText(e.declarant_role or "")
        self._select(self.statut, e.statut)

    def _reload(self) -> None:
        """Discard the user's changes: the form shows the event as the base holds it now."""
        if self.evenement_id is not None:
            self._load(self.evenement_id)

    def _reapply(self) -> None:
        """My changes over the event as the base holds it now (a colleague's other changes kept), saved."""
        if self.evenement_id is None:
            return
        now = evenements.get_evenement(self.ctx.db, self.evenement_id)
        merged = versions.reappliquer(self._data, self.data(), now)
        self._fill(merged)
        self._data = now
        self.save()

    def data(self) -> evenements.EvenementData:
        dt, d = self.survenu.dateTime(), self.declare.date()
        qd, qt = dt.date(), dt.time()
        opened = getattr(self, "_data", None)
        base = replace(opened) if opened is not None else evenements.EvenementData()
        base.survenu_le = datetime(qd.year(), qd.month(), qd.day(), qt.hour(), qt.minute())
        base.declare_le = date(d.year(), d.month(), d.day())
        base.service_id = self.service.currentData()
        base.lieu = self.lieu.text()
        base.type_code = self.type.currentData() or ""
        base.sous_type_code = self.sous_type.currentData()
        base.gravite = self.gravite.currentData()
        base.faits = self.faits.toPlainText()
        base.mesures_immediates = self.mesures.toPlainText()
        base.consequences = self.consequences.toPlainText()
        base.informe = self.informe.currentData()
        base.declarant_role = self.role.text()
        base.statut = self.statut.currentData()
        base.id = self.evenement_id
        return base

    def save(self) -> None:
        widgets = {"statut": self.statut, "survenu_le": self.survenu, "declare_le": self.declare, "type_code": self.type, "faits": self.faits,
                   "gravite": self.gravite, "sous_type_code": self.sous_type}  # fmt: skip
        for w in widgets.values():
            mark_invalid(w, False)

        def refused(exc: UserError) -> None:
            if isinstance(exc, ValidationError):
                for name in exc.errors:
                    if name in widgets:
                        mark_invalid(widgets[name], True)
                first = next((widgets[n] for n in exc.errors if n in widgets), None)
                if first is not None:
                    first.setFocus()
            self.error.show_message(exc.message)

        saved = run_write(self.ctx, self, evenements.enregistrer_evenement, self.ctx.db, self.data(), on_error=refused,
                          recharger=self._reload, reappliquer=self._reapply)  # fmt: skip
        if saved is None:
            return
        self.saved_id = saved
        self.accept()
