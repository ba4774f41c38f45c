"""Edit one risk (gross and residual G × F [× M], owner, barriers, review date) and the local zone cut-offs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
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
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement import annuaire
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import FieldError, mark_invalid, named
from qualite_app.risques import rules
from qualite_app.risques import services as risques
from qualite_app.socle import versions


def _scale(name: str, labels: dict[int, str], optional: bool) -> QComboBox:
    c = named(QComboBox(), name)
    if optional:
        c.addItem("—", None)
    for k, v in labels.items():
        c.addItem(f"{k} – {v}", k)
    return c


class RisqueDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, risque_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.risque_id = risque_id
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Nouveau risque") if risque_id is None else self.tr("Modifier le risque"))
        self.seuils = risques.seuils(ctx.db)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.processus = named(QComboBox(), "processus")
        self.processus.setEditable(True)
        self.processus.addItems(risques.processus(ctx.db))
        self.processus.setCurrentText("")
        self.activite = named(QLineEdit(), "activite")
        self.danger = named(QLineEdit(), "danger")
        self.cause = named(QPlainTextEdit(), "cause")
        self.consequence = named(QPlainTextEdit(), "consequence")
        for e in (self.cause, self.consequence):
            e.setFixedHeight(44)
            e.setTabChangesFocus(True)
        self.g, self.f = _scale("g", rules.GRAVITES, False), _scale("f", rules.FREQUENCES, False)
        self.m = _scale("m", rules.MAITRISES, True)
        self.gr, self.fr = _scale("gr", rules.GRAVITES, True), _scale("fr", rules.FREQUENCES, True)
        self.mr = _scale("mr", rules.MAITRISES, True)
        self.criticite = named(QLabel(), "criticite")
        for c in (self.g, self.f, self.m, self.gr, self.fr, self.mr):
            c.currentIndexChanged.connect(self._criticity)
        self.proprietaire = named(QComboBox(), "proprietaire")
        self.proprietaire.addItem(self.tr("— non désigné —"), None)
        for pid, label in annuaire.choices(ctx.db):
            self.proprietaire.addItem(label, pid)
        self.barrieres = named(QPlainTextEdit(), "barrieres")
        self.barrieres.setFixedHeight(44)
        self.barrieres.setTabChangesFocus(True)
        self.revue_on = named(QCheckBox(self.tr("Revue prévue le")), "revueOn")
        self.revue = named(QDateEdit(QDate.currentDate().addYears(1)), "revue")
        self.revue.setDisplayFormat("dd/MM/yyyy")
        self.revue.setEnabled(False)
        self.revue_on.toggled.connect(self.revue.setEnabled)
        brute = QHBoxLayout()
        for w in (self.g, self.f, self.m):
            brute.addWidget(w)
        resid = QHBoxLayout()
        for w in (self.gr, self.fr, self.mr):
            resid.addWidget(w)
        review = QHBoxLayout()
        review.addWidget(self.revue_on)
        review.addWidget(self.revue)
        review.addStretch(1)
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [(self.tr("Processus"), self.processus), (self.tr("Activité"), self.activite), (self.tr("Danger"), self.danger),
                (self.tr("Cause"), self.cause), (self.tr("Conséquence"), self.consequence),
                (self.tr("Brut : G, F, M"), brute), (self.tr("Résiduel : G, F, M"), resid), ("", self.criticite),
                (self.tr("Propriétaire"), self.proprietaire), (self.tr("Barrières existantes"), self.barrieres),
                ("", review)]  # fmt: skip
        for label, field in rows:
            form.addRow(label, field)
        from qualite_app.gui.widgets.liens import LiensPanel

        fiche = QWidget()
        fiche.setLayout(form)
        #: the risk's chain: the actions it gave rise to, the events, the criteria…
        self.liens = LiensPanel(ctx, titre=self.tr("Liens du risque"))
        self.tabs = named(QTabWidget(), "risque_onglets")
        self.tabs.addTab(fiche, self.tr("Risque"))
        self.tabs.addTab(self.liens, self.tr("Liens"))
        self.liens.counted.connect(lambda n: self.tabs.setTabText(1, self.tr("Liens (%1)").replace("%1", str(n))))
        lay.addWidget(self.tabs)
        self.error = FieldError()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if risque_id is not None:
            self._load(risque_id)
        self.liens.show_for("risque" if risque_id else None, risque_id, getattr(self, "reference", ""))
        self._criticity()
        self.resize(720, 620)

    @staticmethod
    def _pick(c: QComboBox, value: object) -> None:
        c.setCurrentIndex(max(c.findData(value), 0))

    def _load(self, risque_id: int) -> None:
        r = risques.get_risque(self.ctx.db, risque_id)
        self._fill(r)
        self._ouverte = r  # what was opened: the base of a merge

    def _fill(self, r: risques.RisqueData) -> None:
        self.reference = r.reference
        self._edition = r.edition()  # the version opened (optimistic locking)
        self.processus.setCurrentText(r.processus)
        self.activite.setText(r.activite or "")
        self.danger.setText(r.danger)
        self.cause.setPlainText(r.cause or "")
        self.consequence.setPlainText(r.consequence or "")
        for c, v in ((self.g, r.gravite), (self.f, r.frequence), (self.m, r.maitrise), (self.gr, r.gravite_residuelle),
                     (self.fr, r.frequence_residuelle), (self.mr, r.maitrise_residuelle), (self.proprietaire, r.proprietaire_id)):  # fmt: skip
            self._pick(c, v)
        self.barrieres.setPlainText(r.barrieres or "")
        self.revue_on.setChecked(r.revue_le is not None)
        if r.revue_le:
            self.revue.setDate(QDate(r.revue_le.year, r.revue_le.month, r.revue_le.day))

    def _reload(self) -> None:
        """Discard the user's changes: the form shows the risk as the base holds it now."""
        if self.risque_id is not None:
            self._load(self.risque_id)
            self._criticity()

    def _reapply(self) -> None:
        """My changes over the risk as the base holds it now (a colleague's other changes kept), saved."""
        if self.risque_id is None:
            return
        now = risques.get_risque(self.ctx.db, self.risque_id)
        self._fill(versions.reappliquer(self._ouverte, self.values(), now))
        self._ouverte = now
        self._criticity()
        self.save()

    def _criticity(self, *_: object) -> None:
        s = self.seuils
        c = rules.criticite(
            self.g.currentData(), self.f.currentData(), self.m.currentData(), avec_maitrise=s.avec_maitrise
        )
        cr = rules.criticite(
            self.gr.currentData(), self.fr.currentData(), self.mr.currentData(), avec_maitrise=s.avec_maitrise
        )
        text = f"Criticité brute : {c} ({rules.ZONES[rules.zone(c, s) or rules.ACCEPTABLE]})"
        if cr is not None:
            text += f" · résiduelle : {cr} ({rules.ZONES[rules.zone(cr, s) or rules.ACCEPTABLE]})"
        self.criticite.setText(text)

    def values(self) -> risques.RisqueData:
        d = self.revue.date()
        return risques.RisqueData(
            processus=self.processus.currentText(), danger=self.danger.text(), gravite=self.g.currentData(),
            frequence=self.f.currentData(), activite=self.activite.text(), cause=self.cause.toPlainText(),
            consequence=self.consequence.toPlainText(), maitrise=self.m.currentData(),
            gravite_residuelle=self.gr.currentData(), frequence_residuelle=self.fr.currentData(),
            maitrise_residuelle=self.mr.currentData(), proprietaire_id=self.proprietaire.currentData(),
            barrieres=self.barrieres.toPlainText(),
            revue_le=date(d.year(), d.month(), d.day()) if self.revue_on.isChecked() else None,
            reference=getattr(self, "reference", None), id=self.risque_id, **getattr(self, "_edition", {}),
        )  # fmt: skip

    def save(self) -> None:
        widgets = {
            "processus": self.processus,
            "danger": self.danger,
            "frequence_residuelle": self.fr,
            "gravite_residuelle": self.gr,
        }
        for w in widgets.values():
            mark_invalid(w, False)

        def refused(exc: UserError) -> None:
            if isinstance(exc, ValidationError):
                for k in exc.errors:
                    if k in widgets:
                        mark_invalid(widgets[k], True)
            self.error.show_message(exc.message)

        saved = run_write(self.ctx, self, risques.enregistrer_risque, self.ctx.db, self.values(), on_error=refused,
                          recharger=self._reload, reappliquer=self._reapply)  # fmt: skip
        if saved is None:
            return
        self.saved_id = saved
        self.accept()


class SeuilsDialog(QDialog):
    """The establishment's zone cut-offs (criticality from which a risk is tolerable, unacceptable)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Seuils des zones de criticité"))
        lay = QFormLayout(self)
        self.tolerable, self.inacceptable = named(QSpinBox(), "tolerable"), named(QSpinBox(), "inacceptable")
        for w in (self.tolerable, self.inacceptable):
            w.setRange(1, 100)
        self.maitrise = named(
            QCheckBox(self.tr("Criticité G × F × M (avec le niveau de maîtrise)")), "avecMaitrise"
        )
        self._load()
        lay.addRow(self.tr("Tolérable sous contrôle à partir de"), self.tolerable)
        lay.addRow(self.tr("Inacceptable à partir de"), self.inacceptable)
        lay.addRow(self.maitrise)
        self.error = FieldError()
        lay.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addRow(buttons)

    def _load(self) -> None:
        """The cut-offs as the base holds them, and their version (what the save is checked against)."""
        s, self._edition = risques.seuils_ouverts(self.ctx.db)
        self.tolerable.setValue(s.tolerable)
        self.inacceptable.setValue(s.inacceptable)
        self.maitrise.setChecked(s.avec_maitrise)

    def save(self) -> None:
        value = rules.Seuils(self.tolerable.value(), self.inacceptable.value(), self.maitrise.isChecked())
        if (
            run_write(self.ctx, self, risques.enregistrer_seuils, self.ctx.db, value, **self._edition,
                      on_error=lambda exc: self.error.show_message(exc.message), recharger=self._load)  # fmt: skip
            is None
        ):
            return
        self.accept()
