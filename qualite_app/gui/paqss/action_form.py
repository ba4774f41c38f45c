"""The « Action » tab of the action editor: the fields, each with its message beside it."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qualite_app.etablissement import annuaire
from qualite_app.gui.context import AppContext
from qualite_app.gui.paqss.model import fr
from qualite_app.gui.widgets.common import named
from qualite_app.gui.widgets.multi_pick import MultiPick
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.rules.formats import parse_date_saisie as parse_date

ERROR_STYLE = "color:#C62828; font-size:9pt;"
W = TypeVar("W", bound=QWidget)


def select(combo: QComboBox, value: Any) -> None:
    """Show ``value`` in ``combo`` (its first item when the value is not offered)."""
    combo.setCurrentIndex(max(combo.findData(value), 0))


def combo(items: list[tuple[Any, str]], empty: str | None = None) -> QComboBox:
    c = QComboBox()
    if empty is not None:
        c.addItem(empty, None)
    for value, text in items:
        c.addItem(text, value)
    return c


def date_edit() -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText("jj/mm/aaaa")
    e.setMaximumWidth(120)
    return e


def row(*widgets: QWidget | str, grow: tuple[int, ...] = (), stretch: bool = False) -> QWidget:
    """Widgets side by side (a string is a label); those at the ``grow`` positions take the extra width,
    or ``stretch`` pushes them all to the left."""
    box = QWidget()
    lay = QHBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        lay.addWidget(QLabel(w) if isinstance(w, str) else w, 1 if i in grow else 0)
    if stretch:
        lay.addStretch(1)
    return box


class ActionForm(QWidget):
    """The fields of one action. ``load`` shows an action, ``read_dates`` + ``action_data`` read it back,
    ``show_errors`` puts each message beside its field."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        db = ctx.db
        self.errors: dict[str, QLabel] = {}
        self._realisee_le: date | None = None
        self._proposal: str | None = None
        column = QVBoxLayout(self)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)  # extra height goes below the form, not into the description
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        people = annuaire.choices(db)
        services = paqss.service_choices(db)

        self.reference = self._field(form, "reference", self.tr("Référence"), QLineEdit())
        self.reference.setPlaceholderText(self.tr("générée à l'enregistrement (ex. PAQSS-2026-014)"))
        self.titre = self._field(form, "titre", self.tr("Intitulé *"), QLineEdit())
        self.objectif = self._field(
            form,
            "objectif_id",
            self.tr("Axe › objectif *"),
            combo(paqss.objectif_choices(db), self.tr("— choisir —")),
        )
        self.description = self._field(form, "description", self.tr("Description"), QPlainTextEdit())
        self.description.setFixedHeight(64)

        self.source = combo(list(rules.SOURCES.items()))
        self.source_detail = QLineEdit()
        self.source_detail.setPlaceholderText(self.tr("précision : critère, n° d'EI, date de la RMM…"))
        src = row(self.source, self.source_detail, grow=(1,))
        self._field(form, "source", self.tr("Source"), src)
        self.priorite = self._field(
            form, "priorite", self.tr("Priorité"), combo(list(rules.PRIORITES.items()))
        )
        self.priorite.setCurrentIndex(1)

        self.pilote = combo(people, self.tr("— pilote —"))
        self.copilote = combo(people, self.tr("— copilote —"))
        tandem = row(self.pilote, "+", self.copilote, grow=(0, 2))
        self._field(form, "pilote_id", self.tr("Pilote + copilote (tandem)"), tandem)
        self.errors["copilote_id"] = self.errors["pilote_id"]
        self.service = self._field(
            form, "service_id", self.tr("Service"), combo(services, self.tr("— aucun —"))
        )
        self.autres_copilotes = MultiPick(people, self.tr("Autres copilotes : filtrer l'annuaire…"))
        self.autres_services = MultiPick(services, self.tr("Autres services : filtrer…"))
        team = row(self.autres_copilotes, self.autres_services, grow=(0, 1))
        self._field(form, "autres_copilotes", self.tr("Autres copilotes / services"), team)
        self.errors["autres_services"] = self.errors["autres_copilotes"]

        self.date_debut, self.echeance, self.echeance_revisee = date_edit(), date_edit(), date_edit()
        dates = row(
            self.tr("début"),
            self.date_debut,
            self.tr("échéance"),
            self.echeance,
            self.tr("révisée"),
            self.echeance_revisee,
            stretch=True,
        )
        self._field(form, "echeance", self.tr("Dates"), dates)
        for k in ("date_debut", "echeance_revisee"):
            self.errors[k] = self.errors["echeance"]

        self.statut = combo(list(rules.STATUTS.items()))
        self.avancement = QSpinBox()
        self.avancement.setRange(0, 100)
        self.avancement.setSuffix(" %")
        self.avancement.setSingleStep(10)
        self.propose = QPushButton()
        self.propose.hide()
        self.propose.clicked.connect(self._apply_proposal)
        st = row(self.statut, self.tr("avancement"), self.avancement, self.propose, stretch=True)
        self._field(form, "statut", self.tr("Statut"), st)
        self.errors["avancement"] = self.errors["statut"]
        self.motif = self._field(form, "motif_statut", self.tr("Motif (abandon / report)"), QLineEdit())
        self.resultat = self._field(form, "resultat_attendu", self.tr("Résultat attendu"), QLineEdit())

        self.indicateur, self.ind_initial, self.ind_cible = QLineEdit(), QLineEdit(), QLineEdit()
        self.ind_initial.setPlaceholderText(self.tr("valeur initiale"))
        self.ind_cible.setPlaceholderText(self.tr("cible"))
        self.ind_initial.setMaximumWidth(110)
        self.ind_cible.setMaximumWidth(110)
        ind = row(self.indicateur, self.ind_initial, self.ind_cible, grow=(0,))
        self._field(form, "indicateur", self.tr("Indicateur de suivi"), ind)
        self.validation_cme = self._field(
            form, "validation_cme_le", self.tr("Validée en CME le"), date_edit()
        )
        self.avancement.valueChanged.connect(self._on_progress)
        self.statut.currentIndexChanged.connect(self._on_progress)

    def _field(self, form: QFormLayout, key: str, label: str, widget: W) -> W:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        err = named(QLabel(), f"erreur_{key}")
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        lay.addWidget(err)
        self.errors[key] = err
        form.addRow(label, box)
        return widget

    # --- values --------------------------------------------------------------------------
    def load(self, d: paqss.ActionData) -> None:
        self.reference.setText(d.reference)
        self.titre.setText(d.titre)
        select(self.objectif, d.objectif_id)
        self.description.setPlainText(d.description or "")
        select(self.source, d.source)
        self.source_detail.setText(d.source_detail or "")
        select(self.priorite, d.priorite)
        select(self.pilote, d.pilote_id)
        select(self.copilote, d.copilote_id)
        select(self.service, d.service_id)
        self.autres_copilotes.set_checked(d.autres_copilotes)
        self.autres_services.set_checked(d.autres_services)
        self.date_debut.setText(fr(d.date_debut))
        self.echeance.setText(fr(d.echeance))
        self.echeance_revisee.setText(fr(d.echeance_revisee))
        select(self.statut, d.statut)
        self.avancement.setValue(d.avancement)
        self.motif.setText(d.motif_statut or "")
        self.resultat.setText(d.resultat_attendu or "")
        self.indicateur.setText(d.indicateur or "")
        self.ind_initial.setText(d.indicateur_initial or "")
        self.ind_cible.setText(d.indicateur_cible or "")
        self.validation_cme.setText(fr(d.validation_cme_le))
        self._realisee_le = d.realisee_le

    def read_dates(self) -> tuple[dict[str, date | None], dict[str, str]]:
        """The dates typed, and a message for each one that is not a date."""
        out: dict[str, date | None] = {}
        bad: dict[str, str] = {}
        for key, w in (
            ("date_debut", self.date_debut),
            ("echeance", self.echeance),
            ("echeance_revisee", self.echeance_revisee),
            ("validation_cme_le", self.validation_cme),
        ):
            try:
                out[key] = parse_date(w.text())
            except ValueError as exc:
                bad[key] = str(exc)
        return out, bad

    def action_data(
        self, action_id: int | None, dates: dict[str, date | None], jalons: list[paqss.JalonData]
    ) -> paqss.ActionData:
        return paqss.ActionData(
            id=action_id,
            objectif_id=self.objectif.currentData(),
            reference=self.reference.text(),
            titre=self.titre.text(),
            description=self.description.toPlainText(),
            source=self.source.currentData(),
            source_detail=self.source_detail.text(),
            priorite=self.priorite.currentData(),
            pilote_id=self.pilote.currentData(),
            copilote_id=self.copilote.currentData(),
            service_id=self.service.currentData(),
            date_debut=dates["date_debut"],
            echeance=dates["echeance"],
            echeance_revisee=dates["echeance_revisee"],
            statut=self.statut.currentData(),
            motif_statut=self.motif.text(),
            avancement=self.avancement.value(),
            resultat_attendu=self.resultat.text(),
            indicateur=self.indicateur.text(),
            indicateur_initial=self.ind_initial.text(),
            indicateur_cible=self.ind_cible.text(),
            validation_cme_le=dates["validation_cme_le"],
            realisee_le=self._realisee_le,
            jalons=jalons,
            autres_copilotes=self.autres_copilotes.checked(),
            autres_services=self.autres_services.checked(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field (a milestone's beside the status, an unknown key's beside the title)."""
        for lab in self.errors.values():
            lab.hide()
            lab.clear()
        for key, msg in errors.items():
            lab = self.errors.get(key) or self.errors["statut" if key == "jalons" else "titre"]
            lab.setText((lab.text() + "\n" if lab.text() else "") + msg)
            lab.show()

    def readable(self, champ: str, value: str) -> str:
        """Journal values are stored as written (codes, ids): show them as the user knows them."""
        if not value:
            return value
        if champ == "Statut":
            return rules.statut_label(value)
        if champ == "Source":
            return rules.source_label(value)
        if champ == "Priorité" and value.isdigit():
            return rules.priorite_label(int(value))
        names = {
            "Pilote": self.pilote,
            "Copilote": self.pilote,
            "Service": self.service,
            "Objectif": self.objectif,
        }
        combo_ = names.get(champ)
        if combo_ is not None and value.isdigit():
            i = combo_.findData(int(value))
            if i >= 0:
                return combo_.itemText(i).split(" — ")[0] + f" (n° {value})"
        return value

    # --- the status the progress suggests --------------------------------------------------
    def _on_progress(self, *_: Any) -> None:
        self._proposal = rules.statut_propose(self.statut.currentData(), self.avancement.value())
        if self._proposal:
            self.propose.setText(self.tr("Passer à « %1 »").replace("%1", rules.statut_label(self._proposal)))
            self.propose.show()
        else:
            self.propose.hide()

    def _apply_proposal(self) -> None:
        if self._proposal:
            select(self.statut, self._proposal)
