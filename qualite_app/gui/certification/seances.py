"""Evaluation sessions (patient traceur, parcours traceur, traceur ciblé, audit système, observation): the
session the answers typed now belong to — its method and date go with them — and « only its answers »."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from qualite_app.certification import campagnes, rules
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.pages import lu
from qualite_app.gui.widgets.common import named


class SessionBar(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campagne_id: int | None = None
        self._rows: dict[int, campagnes.SessionRow] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Séance d'évaluation :")))
        self.combo = named(QComboBox(), "seance")
        self.combo.setMinimumWidth(320)
        self.combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
        row.addWidget(self.combo)
        self.only = named(QCheckBox(self.tr("Seulement ses réponses")), "seance_seule")
        self.only.toggled.connect(lambda *_: self.changed.emit())
        row.addWidget(self.only)
        b = named(QPushButton(self.tr("Nouvelle séance…")), "btn_nouvelle_seance")
        b.clicked.connect(self.new_session)
        row.addWidget(b)
        row.addStretch(1)

    def fill(self, campagne_id: int | None) -> None:
        self.campagne_id = campagne_id
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("(hors séance)"), None)
        rows = lu(self.ctx.db, campagnes.sessions, campagne_id) if campagne_id else []  # read in idle time?
        self._rows = {x.id: x for x in rows}
        for x in self._rows.values():
            self.combo.addItem(f"{x.libelle} ({x.reponses} réponse(s))", x.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(current)))
        self.combo.blockSignals(False)

    def current(self) -> campagnes.SessionRow | None:
        return self._rows.get(self.combo.currentData())

    def filter_id(self) -> int | None:
        x = self.current()
        return x.id if x is not None and self.only.isChecked() else None

    def new_session(self) -> None:
        if self.campagne_id is None:
            return
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Nouvelle séance d'évaluation"))
        form = QFormLayout(dlg)
        methode = named(QComboBox(), "seance_methode")
        for k, v in rules.METHODES.items():
            methode.addItem(v, k)
        le = named(QDateEdit(QDate.currentDate()), "seance_date")
        le.setDisplayFormat("dd/MM/yyyy")
        le.setCalendarPopup(True)
        equipe, service = named(QLineEdit(), "seance_equipe"), named(QLineEdit(), "seance_service")
        form.addRow(self.tr("Méthode"), methode)
        form.addRow(self.tr("Date"), le)
        form.addRow(self.tr("Équipe"), equipe)
        form.addRow(self.tr("Service"), service)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dlg.accept)
        box.rejected.connect(dlg.reject)
        form.addRow(box)
        self.last_dialog = dlg
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        sid = run_write(self.ctx, self, campagnes.creer_session, self.ctx.db, self.campagne_id, methode.currentData(),
                        le.date().toPython(), equipe=equipe.text(), service=service.text())  # fmt: skip
        if sid is not None:
            self.fill(self.campagne_id)
            self.combo.setCurrentIndex(self.combo.findData(sid))
