"""The two-part EIGS declaration of one event: the legal content of each part, the date each part was
sent, the deadlines computed as you type, and the printable PDF of a part to paste into the portal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import FieldError, named

LABELS = {
    "nature_circonstances": "Nature et circonstances",
    "premieres_mesures": "Premières mesures (patient, proches)",
    "information_patient": "Information du patient, de la famille ou de la personne de confiance",
    "prise_en_charge": "Prise en charge",
    "causes_immediates": "Causes immédiates",
    "causes_profondes": "Causes profondes",
    "barrieres": "Barrières (ayant fonctionné / manqué)",
    "mesures_prises": "Mesures prises",
    "mesures_prevues": "Mesures envisagées (échéances, évaluation)",
    "analyse_realisee": "Analyse réalisée",
}


def _qdate(d: date | None) -> QDate:
    return QDate(d.year, d.month, d.day) if d else QDate.currentDate()


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class EigsDialog(QDialog):
    def __init__(self, ctx: AppContext, evenement_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.evenement_id = evenement_id
        data = evenements.get_eigs(ctx.db, evenement_id)
        if data is None:
            raise UserError("Cet événement n'est pas classé EIGS.")
        self._edition = data.edition()  # the version opened (optimistic locking)
        self.reference = evenements.get_evenement(ctx.db, evenement_id).reference or ""
        self.setWindowTitle(self.tr("Déclaration d'EIGS — ") + self.reference)
        lay = QVBoxLayout(self)
        top = QFormLayout()
        self.connaissance = named(QDateEdit(_qdate(data.connaissance_le)), "connaissance")
        self.connaissance.setDisplayFormat("dd/MM/yyyy")
        top.addRow(self.tr("Connu de l'établissement le"), self.connaissance)
        lay.addLayout(top)
        self.texts: dict[str, QPlainTextEdit] = {}
        self.sent: dict[int, tuple[QCheckBox, QDateEdit]] = {}
        self.deadline: dict[int, QLabel] = {}
        for partie, names in ((1, evenements.PARTIE1), (2, evenements.PARTIE2)):
            box = QGroupBox(self.tr("Partie %1").replace("%1", str(partie)))
            form = QFormLayout(box)
            self.deadline[partie] = named(QLabel(), f"echeance{partie}")
            form.addRow(self.deadline[partie])
            for name in names:
                e = named(QPlainTextEdit(getattr(data, name) or ""), name)
                e.setTabChangesFocus(True)
                e.setFixedHeight(46)
                self.texts[name] = e
                form.addRow(LABELS[name], e)
            when = getattr(data, f"partie{partie}_envoyee_le")
            check = named(QCheckBox(self.tr("Envoyée le")), f"envoyee{partie}")
            check.setChecked(when is not None)
            d = named(QDateEdit(_qdate(when)), f"date{partie}")
            d.setDisplayFormat("dd/MM/yyyy")
            d.setEnabled(when is not None)
            check.toggled.connect(d.setEnabled)
            check.toggled.connect(self._deadlines)
            d.dateChanged.connect(self._deadlines)
            row = QHBoxLayout()
            row.addWidget(check)
            row.addWidget(d)
            pdf = named(
                QPushButton(self.tr("PDF de la partie %1…").replace("%1", str(partie))), f"pdf{partie}"
            )
            pdf.clicked.connect(lambda _=False, p=partie: self.export_pdf(p))
            row.addStretch(1)
            row.addWidget(pdf)
            form.addRow(row)
            self.sent[partie] = (check, d)
            lay.addWidget(box)
        self.connaissance.dateChanged.connect(self._deadlines)
        self.error = FieldError()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Fermer"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._deadlines()
        self.resize(720, 860)

    def _sent(self, partie: int) -> date | None:
        check, d = self.sent[partie]
        return _date(d.date()) if check.isChecked() else None

    def _deadlines(self, *_: object) -> None:
        rows = rules.echeances_eigs(self.evenement_id, self.reference, _date(self.connaissance.date()), self._sent(1),
                                    self._sent(2), date.today())  # fmt: skip
        for e in rows:
            colour = {"en_retard": "#B71C1C", "proche": "#A84300"}.get(e.etat, "#1F3A5F")
            state = f"envoyée le {e.envoyee_le:%d/%m/%Y}" if e.envoyee_le else rules.ETATS[e.etat].lower()
            self.deadline[e.partie].setText(
                f"<span style='color:{colour}'><b>Échéance : {e.echeance:%d/%m/%Y}</b> — {state}</span>"
            )

    def values(self) -> evenements.EigsData:
        data = evenements.EigsData(self.evenement_id, _date(self.connaissance.date()), **self._edition)
        for name, e in self.texts.items():
            setattr(data, name, e.toPlainText())
        data.partie1_envoyee_le, data.partie2_envoyee_le = self._sent(1), self._sent(2)
        return data

    def save(self) -> None:
        # someone saved the declaration meanwhile: reapply, or discard (the dialog closes; reopened, it shows theirs)
        done = run_write(self.ctx, self, evenements.enregistrer_eigs, self.ctx.db, self.values(),
                         on_error=lambda exc: self.error.show_message(exc.message), recharger=self.reject)  # fmt: skip
        if done is None:
            return
        self.accept()

    def export_pdf(self, partie: int) -> None:
        from qualite_app.evenements import fiche_eigs

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Partie %1 de la déclaration").replace("%1", str(partie)),
                                              f"EIGS-{self.reference}-partie{partie}.pdf", "PDF (*.pdf)")  # fmt: skip
        if path:
            pdf = run_write(self.ctx, self, fiche_eigs.fiche_pdf, self.ctx.db, self.evenement_id, partie)
            if pdf is not None:
                Path(path).write_bytes(pdf)
