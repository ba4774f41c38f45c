"""A cause analysis: method, date, participants, chronology (timed steps, care deviations), contributing
factors by family (ALARM's seven, Ishikawa 5M/7M), synthesis; each decided action becomes a PAQSS action
in one click, linked to the analysis."""

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
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import FieldError, named


def _text(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text().strip() if item is not None else ""


class AnalyseDialog(QDialog):
    def __init__(self, ctx: AppContext, evenement_ids: list[int], parent: QWidget | None = None,
                 analyse_id: int | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx = ctx
        self.evenement_ids = evenement_ids
        self.analyse_id = analyse_id
        self.setWindowTitle(self.tr("Analyse des causes"))
        outer = QVBoxLayout(self)
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.methode = named(QComboBox(), "methode")
        for code, label in rules.METHODES.items():
            self.methode.addItem(label, code)
        self.sept_m = named(QCheckBox(self.tr("Ishikawa en 7M (management, moyens)")), "septM")
        self.le = named(QDateEdit(QDate.currentDate()), "le")
        self.le.setDisplayFormat("dd/MM/yyyy")
        self.participants = named(QLineEdit(), "participants")
        self.participants.setPlaceholderText(self.tr("fonctions des participants (pas de nom de patient)"))
        self.ecarts = named(QPlainTextEdit(), "ecarts")
        self.ecarts.setFixedHeight(46)
        self.synthese = named(QPlainTextEdit(), "synthese")
        self.synthese.setFixedHeight(60)
        self.refs = named(QLineEdit(), "references")
        self.refs.setPlaceholderText(
            self.tr("références séparées par des virgules (une RMM peut en réunir plusieurs)")
        )
        self.refs.setText(", ".join(self._references(evenement_ids)))
        for label, w in ((self.tr("Événements analysés"), self.refs), (self.tr("Méthode"), self.methode), ("", self.sept_m), (self.tr("Date"), self.le),
                         (self.tr("Participants"), self.participants), (self.tr("Écarts de soins"), self.ecarts)):  # fmt: skip
            form.addRow(label, w)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("<b>Chronologie</b>")))
        self.etapes = named(QTableWidget(0, 3), "etapes")
        self.etapes.setHorizontalHeaderLabels([self.tr("Moment"), self.tr("Étape"), self.tr("Écart")])
        self.etapes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.etapes.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.etapes)
        add_step = named(QPushButton(self.tr("Ajouter une étape")), "btnEtape")
        add_step.clicked.connect(lambda: self.add_step())
        lay.addWidget(add_step)
        lay.addWidget(QLabel(self.tr("<b>Facteurs contributifs</b>")))
        self.facteurs = named(QTableWidget(0, 2), "facteurs")
        self.facteurs.setHorizontalHeaderLabels([self.tr("Famille"), self.tr("Facteur")])
        self.facteurs.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.facteurs.setColumnWidth(0, 220)
        lay.addWidget(self.facteurs)
        add_factor = named(QPushButton(self.tr("Ajouter un facteur")), "btnFacteur")
        add_factor.clicked.connect(lambda: self.add_factor())
        lay.addWidget(add_factor)
        form2 = QFormLayout()
        form2.addRow(self.tr("Synthèse"), self.synthese)
        lay.addLayout(form2)
        lay.addWidget(QLabel(self.tr("<b>Actions décidées → PAQSS</b>")))
        self.actions_list = named(QListWidget(), "actions")
        self.actions_list.setFixedHeight(70)
        lay.addWidget(self.actions_list)
        row = QHBoxLayout()
        self.action_title = named(QLineEdit(), "actionTitre")
        self.action_title.setPlaceholderText(self.tr("intitulé de l'action décidée"))
        self.btn_action = named(QPushButton(self.tr("Créer l'action PAQSS")), "btnAction")
        self.btn_action.clicked.connect(self.decide_action)
        row.addWidget(self.action_title, 1)
        row.addWidget(self.btn_action)
        lay.addLayout(row)
        from qualite_app.gui.widgets.liens import LiensPanel

        #: the analysis' chain: the events it covers, the actions it gave rise to and beyond
        self.liens = LiensPanel(ctx, titre=self.tr("Liens de l'analyse"))
        self.liens.counted.connect(self._links_changed)
        self.tabs = named(QTabWidget(), "analyse_onglets")
        self.tabs.addTab(content, self.tr("Analyse"))
        self.tabs.addTab(self.liens, self.tr("Liens"))
        outer.addWidget(self.tabs, 1)
        self.error = FieldError()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.methode.currentIndexChanged.connect(self._method_changed)
        self.sept_m.toggled.connect(self._method_changed)
        if analyse_id is not None:
            self._load(analyse_id)
        self._method_changed()
        self.resize(780, 860)

    # --- rows ---------------------------------------------------------------------------------
    def add_step(self, moment: str = "", description: str = "", ecart: str | None = None) -> None:
        r = self.etapes.rowCount()
        self.etapes.insertRow(r)
        for c, v in enumerate((moment, description, ecart or "")):
            self.etapes.setItem(r, c, QTableWidgetItem(v))

    def add_factor(self, famille: str | None = None, description: str = "") -> None:
        r = self.facteurs.rowCount()
        self.facteurs.insertRow(r)
        combo = QComboBox()
        self._fill_families(combo, famille)
        self.facteurs.setCellWidget(r, 0, combo)
        self.facteurs.setItem(r, 1, QTableWidgetItem(description))

    def _families(self) -> dict[str, str]:
        return rules.familles(self.methode.currentData(), self.sept_m.isChecked())

    def _fill_families(self, combo: QComboBox, current: str | None) -> None:
        combo.clear()
        for code, label in self._families().items():
            combo.addItem(label, code)
        combo.setCurrentIndex(max(combo.findData(current), 0))

    def _method_changed(self, *_: object) -> None:
        self.sept_m.setVisible(self.methode.currentData() == "ishikawa")
        for r in range(self.facteurs.rowCount()):
            combo = self.facteurs.cellWidget(r, 0)
            if isinstance(combo, QComboBox):
                self._fill_families(combo, combo.currentData())

    # --- load / save ---------------------------------------------------------------------------
    def _load(self, analyse_id: int) -> None:
        a = evenements.get_analyse(self.ctx.db, analyse_id)
        self._edition = a.edition()  # the version opened (optimistic locking)
        self.setWindowTitle(self.tr("Analyse des causes — ") + a.reference)
        self.evenement_ids = a.evenement_ids
        self.refs.setText(", ".join(self._references(a.evenement_ids)))
        self._refs_base = self.refs.text()
        self.liens.show_for("evenement_analyse", analyse_id, a.reference)
        self.methode.setCurrentIndex(max(self.methode.findData(a.methode), 0))
        self.sept_m.setChecked(a.sept_m)
        if a.le:
            self.le.setDate(QDate(a.le.year, a.le.month, a.le.day))
        self.participants.setText(a.participants or "")
        self.ecarts.setPlainText(a.ecarts or "")
        self.synthese.setPlainText(a.synthese or "")
        self.etapes.setRowCount(0)
        self.facteurs.setRowCount(0)
        for e in a.etapes:
            self.add_step(e.moment, e.description, e.ecart)
        for f in a.facteurs:
            self.add_factor(f.famille, f.description)
        self._refresh_actions()

    def _reload(self) -> None:
        """Discard the user's changes: the analysis as the base holds it now."""
        if self.analyse_id is not None:
            self._load(self.analyse_id)

    def _references(self, ids: list[int]) -> list[str]:
        return [evenements.get_evenement(self.ctx.db, i).reference or "" for i in ids]

    def _ids(self) -> list[int]:
        """The events named in the references field; an unknown reference is said, nothing is saved."""
        out = []
        for ref in (r.strip() for r in self.refs.text().split(",")):
            if not ref:
                continue
            i = evenements.id_par_reference(self.ctx.db, ref)
            if i is None:
                raise UserError(f"Événements analysés : « {ref} » introuvable.")
            out.append(i)
        return out

    def values(self) -> evenements.AnalyseData:
        d = self.le.date()
        facteurs = []
        for r in range(self.facteurs.rowCount()):
            combo = self.facteurs.cellWidget(r, 0)
            text = _text(self.facteurs, r, 1)
            if text and isinstance(combo, QComboBox):
                facteurs.append(evenements.FacteurData(combo.currentData(), text))
        etapes = [evenements.EtapeData(_text(self.etapes, r, 0), _text(self.etapes, r, 1), _text(self.etapes, r, 2) or None)
                  for r in range(self.etapes.rowCount()) if _text(self.etapes, r, 1)]  # fmt: skip
        return evenements.AnalyseData(
            self.methode.currentData(), date(d.year(), d.month(), d.day()), list(self.evenement_ids),
            self.participants.text(), self.ecarts.toPlainText(), self.synthese.toPlainText(), self.sept_m.isChecked(),
            etapes, facteurs, id=self.analyse_id, **getattr(self, "_edition", {}),
        )  # fmt: skip

    def _links_changed(self, n: int) -> None:
        """The tab's count; an event joined or left through the panel shows in « Événements analysés »
        (unless the user has typed there: their text is what « Enregistrer » writes)."""
        self.tabs.setTabText(1, self.tr("Liens (%1)").replace("%1", str(n)))
        if self.analyse_id is None or self.refs.text() != getattr(self, "_refs_base", None):
            return
        ids = evenements.get_analyse(self.ctx.db, self.analyse_id).evenement_ids
        self.refs.setText(", ".join(self._references(ids)))
        self._refs_base = self.refs.text()

    def save(self, *, close: bool = True) -> bool:
        try:
            self.evenement_ids = self._ids()
        except UserError as exc:
            self.error.show_message(exc.message)
            return False
        saved = run_write(self.ctx, self, evenements.enregistrer_analyse, self.ctx.db, self.values(),
                          on_error=lambda exc: self.error.show_message(exc.message), recharger=self._reload)  # fmt: skip
        if saved is None:
            return False
        self.analyse_id = saved
        self._edition = evenements.get_analyse(self.ctx.db, saved).edition()  # saved again from here
        self.error.show_message(None)
        self._refs_base = self.refs.text()
        if self.liens.element is None:
            self.liens.show_for("evenement_analyse", self.analyse_id, "")
        if close:
            self.accept()
        return True

    def decide_action(self) -> None:
        """Saves the analysis, then makes the decided action a PAQSS action (one transaction)."""
        title = self.action_title.text().strip()
        if not title:
            self.error.show_message(self.tr("Donnez l'intitulé de l'action décidée."))
            return
        if not self.save(close=False):
            return
        assert self.analyse_id is not None
        if (
            run_write(self.ctx, self, evenements.decider_action, self.ctx.db, self.analyse_id, title)
            is not None
        ):
            self.action_title.clear()
            self._refresh_actions()

    def _refresh_actions(self) -> None:
        self.actions_list.clear()
        if self.analyse_id is None:
            return
        for a in evenements.actions_de_l_analyse(self.ctx.db, self.analyse_id):
            self.actions_list.addItem(f"{a.reference} — {a.titre} ({a.statut_libelle}, {a.avancement} %)")
