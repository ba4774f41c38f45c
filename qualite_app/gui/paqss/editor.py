"""The action editor: fields with their message beside them, milestones, comments, evidence (drag and drop), links, journal."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError, ValidationError
from qualite_app.etablissement import annuaire
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import show_error
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss.xlsx import parse_date

ERROR_STYLE = "color:#C62828; font-size:9pt;"


def fr(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class DropZone(QListWidget):
    """The evidence list: drop files on it (or use the button)."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def dragEnterEvent(self, e: Any) -> None:  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()
        else:
            super().dragEnterEvent(e)

    def dragMoveEvent(self, e: Any) -> None:  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()
        else:
            super().dragMoveEvent(e)

    def dropEvent(self, e: Any) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()]
        if paths:
            e.acceptProposedAction()
            self.files_dropped.emit(paths)


class MultiPick(QWidget):
    """A compact multi-select: a filter line above a short list of checkable names."""

    def __init__(self, items: list[tuple[int, str]], placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(placeholder)
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setFixedHeight(78)
        self.list.setUniformItemSizes(True)
        for value, text in items:
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, value)
            it.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            it.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(it)
        self.filter.textChanged.connect(self._filter)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)

    def _filter(self, text: str) -> None:
        from qualite_app.rules.text import fold

        words = fold(text).split()
        for i in range(self.list.count()):
            it = self.list.item(i)
            label = fold(it.text())
            checked = it.checkState() == Qt.CheckState.Checked
            self.list.setRowHidden(i, bool(words) and not checked and not all(w in label for w in words))

    def _sort_checked_first(self) -> None:
        """On load, the chosen names come first in the short list (never while the user ticks)."""
        self.list.blockSignals(True)
        items = [self.list.takeItem(0) for _ in range(self.list.count())]
        items.sort(key=lambda it: (it.checkState() != Qt.CheckState.Checked, it.text().casefold()))
        for it in items:
            self.list.addItem(it)
        self.list.blockSignals(False)
        self._filter(self.filter.text())

    def item_for(self, value: int) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == value:
                return self.list.item(i)
        return None

    def set_checked(self, values: list[int]) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            it = self.list.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in values
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._sort_checked_first()

    def checked(self) -> list[int]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class ActionEditor(QDialog):
    """Create or edit one action. Comments and evidence given before the first save are attached on save."""

    saved = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        action_id: int | None = None,
        parent: QWidget | None = None,
        *,
        objectif_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.action_id = action_id
        self.pending_files: list[Path] = []
        self.pending_comments: list[str] = []
        self.setWindowTitle(
            self.tr("Nouvelle action PAQSS") if action_id is None else self.tr("Action PAQSS")
        )
        self.resize(860, 680)
        self.errors: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs)
        self._build_form()
        self._build_jalons()
        self._build_comments()
        self._build_evidence()
        self._build_links()
        self._build_journal()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        if action_id is not None:
            self.load(paqss.get_action(self.db, action_id))
        elif objectif_id is not None:
            self._select(self.objectif, objectif_id)
        self._refresh_side()

    # --- building -----------------------------------------------------------------------
    def _field(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        err = QLabel()
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        err.setObjectName(f"erreur_{key}")
        lay.addWidget(err)
        self.errors[key] = err
        form.addRow(self.tr(label), box)
        return widget

    def _combo(self, items: list[tuple[Any, str]], empty: str | None = None) -> QComboBox:
        c = QComboBox()
        if empty is not None:
            c.addItem(empty, None)
        for value, text in items:
            c.addItem(text, value)
        return c

    def _date(self) -> QLineEdit:
        e = QLineEdit()
        e.setPlaceholderText("jj/mm/aaaa")
        e.setMaximumWidth(120)
        return e

    def _build_form(self) -> None:
        page = QWidget()
        column = QVBoxLayout(page)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)  # extra height goes below the form, not into the description
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        people = annuaire.choices(self.db)
        self.reference = self._field(form, "reference", "Référence", QLineEdit())
        self.reference.setPlaceholderText(self.tr("générée à l'enregistrement (ex. PAQSS-2026-014)"))
        self.titre = self._field(form, "titre", "Intitulé *", QLineEdit())
        self.objectif = self._field(
            form,
            "objectif_id",
            "Axe › objectif *",
            self._combo(paqss.objectif_choices(self.db), self.tr("— choisir —")),
        )
        self.description = self._field(form, "description", "Description", QPlainTextEdit())
        self.description.setFixedHeight(64)
        src = QWidget()
        sl = QHBoxLayout(src)
        sl.setContentsMargins(0, 0, 0, 0)
        self.source = self._combo(list(rules.SOURCES.items()))
        self.source_detail = QLineEdit()
        self.source_detail.setPlaceholderText(self.tr("précision : critère, n° d'EI, date de la RMM…"))
        sl.addWidget(self.source)
        sl.addWidget(self.source_detail, 1)
        self._field(form, "source", "Source", src)
        self.priorite = self._field(form, "priorite", "Priorité", self._combo(list(rules.PRIORITES.items())))
        self.priorite.setCurrentIndex(1)
        tandem = QWidget()
        tl = QHBoxLayout(tandem)
        tl.setContentsMargins(0, 0, 0, 0)
        self.pilote = self._combo(people, self.tr("— pilote —"))
        self.copilote = self._combo(people, self.tr("— copilote —"))
        tl.addWidget(self.pilote, 1)
        tl.addWidget(QLabel("+"))
        tl.addWidget(self.copilote, 1)
        self._field(form, "pilote_id", "Pilote + copilote (tandem)", tandem)
        self.errors["copilote_id"] = self.errors["pilote_id"]
        services = paqss.service_choices(self.db)
        self.service = self._field(form, "service_id", "Service", self._combo(services, self.tr("— aucun —")))
        team = QWidget()
        tm = QHBoxLayout(team)
        tm.setContentsMargins(0, 0, 0, 0)
        self.autres_copilotes = MultiPick(people, self.tr("Autres copilotes : filtrer l'annuaire…"))
        self.autres_services = MultiPick(services, self.tr("Autres services : filtrer…"))
        tm.addWidget(self.autres_copilotes, 1)
        tm.addWidget(self.autres_services, 1)
        self._field(form, "autres_copilotes", "Autres copilotes / services", team)
        self.errors["autres_services"] = self.errors["autres_copilotes"]
        dates = QWidget()
        dl = QHBoxLayout(dates)
        dl.setContentsMargins(0, 0, 0, 0)
        self.date_debut, self.echeance, self.echeance_revisee = self._date(), self._date(), self._date()
        for lab, w in (
            (self.tr("début"), self.date_debut),
            (self.tr("échéance"), self.echeance),
            (self.tr("révisée"), self.echeance_revisee),
        ):
            dl.addWidget(QLabel(lab))
            dl.addWidget(w)
        dl.addStretch(1)
        self._field(form, "echeance", "Dates", dates)
        for k in ("date_debut", "echeance_revisee"):
            self.errors[k] = self.errors["echeance"]
        st = QWidget()
        stl = QHBoxLayout(st)
        stl.setContentsMargins(0, 0, 0, 0)
        self.statut = self._combo(list(rules.STATUTS.items()))
        self.avancement = QSpinBox()
        self.avancement.setRange(0, 100)
        self.avancement.setSuffix(" %")
        self.avancement.setSingleStep(10)
        self.propose = QPushButton()
        self.propose.hide()
        self.propose.clicked.connect(self._apply_proposal)
        stl.addWidget(self.statut)
        stl.addWidget(QLabel(self.tr("avancement")))
        stl.addWidget(self.avancement)
        stl.addWidget(self.propose)
        stl.addStretch(1)
        self._field(form, "statut", "Statut", st)
        self.errors["avancement"] = self.errors["statut"]
        self.motif = self._field(form, "motif_statut", "Motif (abandon / report)", QLineEdit())
        self.resultat = self._field(form, "resultat_attendu", "Résultat attendu", QLineEdit())
        ind = QWidget()
        il = QHBoxLayout(ind)
        il.setContentsMargins(0, 0, 0, 0)
        self.indicateur, self.ind_initial, self.ind_cible = QLineEdit(), QLineEdit(), QLineEdit()
        self.ind_initial.setPlaceholderText(self.tr("valeur initiale"))
        self.ind_cible.setPlaceholderText(self.tr("cible"))
        self.ind_initial.setMaximumWidth(110)
        self.ind_cible.setMaximumWidth(110)
        il.addWidget(self.indicateur, 1)
        il.addWidget(self.ind_initial)
        il.addWidget(self.ind_cible)
        self._field(form, "indicateur", "Indicateur de suivi", ind)
        self.validation_cme = self._field(form, "validation_cme_le", "Validée en CME le", self._date())
        self.avancement.valueChanged.connect(self._on_progress)
        self.statut.currentIndexChanged.connect(self._on_progress)
        self.tabs.addTab(page, self.tr("Action"))

    def _build_jalons(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.jalons = QTableWidget(0, 3)
        self.jalons.setHorizontalHeaderLabels([self.tr("Jalon"), self.tr("Date prévue"), self.tr("Fait")])
        self.jalons.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.jalons)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Ajouter un jalon"))
        rem = QPushButton(self.tr("Retirer le jalon"))
        add.clicked.connect(lambda: self._add_jalon(paqss.JalonData()))
        rem.clicked.connect(
            lambda: self.jalons.removeRow(self.jalons.currentRow()) if self.jalons.currentRow() >= 0 else None
        )
        row.addWidget(add)
        row.addWidget(rem)
        row.addStretch(1)
        lay.addLayout(row)
        self.add_jalon_button = add
        self.tabs.addTab(page, self.tr("Jalons"))

    def _add_jalon(self, j: paqss.JalonData) -> None:
        r = self.jalons.rowCount()
        self.jalons.insertRow(r)
        item = QTableWidgetItem(j.libelle)
        item.setData(Qt.ItemDataRole.UserRole, j.id)
        self.jalons.setItem(r, 0, item)
        self.jalons.setItem(r, 1, QTableWidgetItem(fr(j.echeance)))
        done = QTableWidgetItem()
        done.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        done.setCheckState(Qt.CheckState.Checked if j.fait else Qt.CheckState.Unchecked)
        done.setData(Qt.ItemDataRole.UserRole, j.fait_le)
        self.jalons.setItem(r, 2, done)

    def _build_comments(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.comments = QListWidget()
        self.comments.setWordWrap(True)
        lay.addWidget(self.comments, 1)
        self.comment_text = QPlainTextEdit()
        self.comment_text.setPlaceholderText(self.tr("Nouveau commentaire…"))
        self.comment_text.setMaximumHeight(70)
        lay.addWidget(self.comment_text)
        b = QPushButton(self.tr("Ajouter le commentaire"))
        b.clicked.connect(self.add_comment)
        lay.addWidget(b, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs.addTab(page, self.tr("Commentaires"))

    def _build_evidence(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(
            QLabel(
                self.tr("Déposez ici les fichiers de preuve (procédure, compte rendu, résultats d'audit…).")
            )
        )
        self.evidence = DropZone()
        self.evidence.files_dropped.connect(self.add_files)
        lay.addWidget(self.evidence, 1)
        row = QHBoxLayout()
        b = QPushButton(self.tr("Ajouter un fichier…"))
        b.clicked.connect(self._choose_files)
        rem = QPushButton(self.tr("Retirer"))
        rem.clicked.connect(self._remove_evidence)
        row.addWidget(b)
        row.addWidget(rem)
        row.addStretch(1)
        lay.addLayout(row)
        self.tabs.addTab(page, self.tr("Preuves"))

    def _build_links(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.links = QListWidget()
        lay.addWidget(self.links)
        row = QHBoxLayout()
        self.btn_link = QPushButton(self.tr("Lier à une autre action…"))
        self.btn_link.clicked.connect(self.link_action)
        self.btn_link_indicator = QPushButton(self.tr("Lier à un indicateur…"))
        self.btn_link_indicator.clicked.connect(self.link_indicator)
        unlink = QPushButton(self.tr("Retirer le lien"))
        unlink.clicked.connect(self._unlink)
        row.addWidget(self.btn_link)
        row.addWidget(self.btn_link_indicator)
        row.addWidget(unlink)
        row.addStretch(1)
        lay.addLayout(row)
        self.tabs.addTab(page, self.tr("Liens"))

    def link_action(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self.action_id is None:
            QMessageBox.information(self, self.tr("Liens"), self.tr("Enregistrez d'abord l'action."))
            return
        ref, ok = QInputDialog.getText(
            self, self.tr("Lier à une action"), self.tr("Référence de l'action (ex. PAQSS-2026-014) :")
        )
        if not ok or not ref.strip():
            return
        try:
            paqss.link_to_reference(self.db, self.action_id, ref)
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.bus.announce("paqss")
        self._refresh_side()

    def link_indicator(self) -> None:
        """The indicator that will show whether the action worked (its start is marked on the chart)."""
        from PySide6.QtWidgets import QInputDialog

        from qualite_app.indicateurs import services as indicateurs

        if self.action_id is None:
            QMessageBox.information(self, self.tr("Liens"), self.tr("Enregistrez d'abord l'action."))
            return
        rows = indicateurs.list_indicateurs(self.db)
        if not rows:
            QMessageBox.information(
                self, self.tr("Liens"), self.tr("Aucun indicateur n'est encore suivi (zone Indicateurs).")
            )
            return
        labels = [f"{r.code} — {r.libelle}" for r in rows]
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Lier à un indicateur"),
            self.tr("Indicateur qui mesurera l'effet de l'action :"),
            labels,
            0,
            False,
        )
        if not ok or choice not in labels:
            return
        try:
            paqss.link_indicator(self.db, self.action_id, rows[labels.index(choice)].id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.bus.announce("paqss", "indicateurs")
        self._refresh_side()

    def _unlink(self) -> None:
        item = self.links.currentItem()
        lien = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if lien is None:
            return
        from qualite_app.socle import liens as links

        links.unlink(self.db, lien)
        self.ctx.bus.announce("paqss")
        self._refresh_side()

    def _build_journal(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.journal = QTableWidget(0, 5)
        self.journal.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Par"), self.tr("Champ"), self.tr("Avant"), self.tr("Après")]
        )
        self.journal.horizontalHeader().setStretchLastSection(True)
        self.journal.verticalHeader().hide()
        self.journal.setWordWrap(False)
        for i, w in enumerate((115, 170, 230, 200)):
            self.journal.setColumnWidth(i, w)
        self.journal.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.journal)
        self.tabs.addTab(page, self.tr("Journal"))

    # --- values --------------------------------------------------------------------------
    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(max(i, 0))

    def load(self, d: paqss.ActionData) -> None:
        self.reference.setText(d.reference)
        self.titre.setText(d.titre)
        self._select(self.objectif, d.objectif_id)
        self.description.setPlainText(d.description or "")
        self._select(self.source, d.source)
        self.source_detail.setText(d.source_detail or "")
        self._select(self.priorite, d.priorite)
        self._select(self.pilote, d.pilote_id)
        self._select(self.copilote, d.copilote_id)
        self._select(self.service, d.service_id)
        self.autres_copilotes.set_checked(d.autres_copilotes)
        self.autres_services.set_checked(d.autres_services)
        self.date_debut.setText(fr(d.date_debut))
        self.echeance.setText(fr(d.echeance))
        self.echeance_revisee.setText(fr(d.echeance_revisee))
        self._select(self.statut, d.statut)
        self.avancement.setValue(d.avancement)
        self.motif.setText(d.motif_statut or "")
        self.resultat.setText(d.resultat_attendu or "")
        self.indicateur.setText(d.indicateur or "")
        self.ind_initial.setText(d.indicateur_initial or "")
        self.ind_cible.setText(d.indicateur_cible or "")
        self.validation_cme.setText(fr(d.validation_cme_le))
        self._realisee_le = d.realisee_le
        self.jalons.setRowCount(0)
        for j in d.jalons:
            self._add_jalon(j)

    def _dates(self) -> dict[str, date | None]:
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
        for r in range(self.jalons.rowCount()):
            try:
                parse_date(self.jalons.item(r, 1).text() if self.jalons.item(r, 1) else "")
            except ValueError as exc:
                bad["jalons"] = f"Jalon n° {r + 1} : {exc}"
        if bad:
            raise ValidationError(bad)
        return out

    def data(self) -> paqss.ActionData:
        dates = self._dates()
        jalons = []
        for r in range(self.jalons.rowCount()):
            lib = self.jalons.item(r, 0)
            when = self.jalons.item(r, 1)
            done = self.jalons.item(r, 2)
            jalons.append(
                paqss.JalonData(
                    libelle=lib.text() if lib else "",
                    echeance=parse_date(when.text() if when else ""),
                    fait=done is not None and done.checkState() == Qt.CheckState.Checked,
                    fait_le=done.data(Qt.ItemDataRole.UserRole) if done else None,
                    id=lib.data(Qt.ItemDataRole.UserRole) if lib else None,
                )
            )
        return paqss.ActionData(
            id=self.action_id,
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
            realisee_le=getattr(self, "_realisee_le", None),
            jalons=jalons,
            autres_copilotes=self.autres_copilotes.checked(),
            autres_services=self.autres_services.checked(),
        )

    def _on_progress(self, *_: Any) -> None:
        proposal = rules.statut_propose(self.statut.currentData(), self.avancement.value())
        self._proposal = proposal
        if proposal:
            self.propose.setText(self.tr("Passer à « %1 »").replace("%1", rules.statut_label(proposal)))
            self.propose.show()
        else:
            self.propose.hide()

    def _apply_proposal(self) -> None:
        if getattr(self, "_proposal", None):
            self._select(self.statut, self._proposal)

    # --- saving ----------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        for lab in self.errors.values():
            lab.hide()
            lab.clear()
        for key, msg in errors.items():
            lab = self.errors.get(key)
            if lab is None:
                lab = self.errors["titre"] if key != "jalons" else self.errors["statut"]
            lab.setText((lab.text() + "\n" if lab.text() else "") + msg)
            lab.show()
        if errors:
            self.tabs.setCurrentIndex(0)

    def save(self) -> None:
        try:
            d = self.data()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        try:
            files = []
            for p in self.pending_files:
                try:
                    files.append((p.name, p.read_bytes()))
                except OSError as exc:
                    raise UserError(
                        f"Lecture impossible de « {p.name} » ({exc.strerror or 'erreur de lecture'}) : "
                        "rien n'a été enregistré."
                    ) from exc
            # ONE service call = ONE transaction: the action with its pending comments and files
            save = partial(paqss.enregistrer_action, self.db, d, list(self.pending_comments), files)
            try:
                new_id = save()
            except paqss.ConfirmationNecessaire as exc:
                answer = QMessageBox.question(self, self.tr("Confirmer"), exc.message)
                if answer != QMessageBox.StandardButton.Yes:
                    return
                new_id = save(confirme=True)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.pending_comments.clear()
        self.pending_files.clear()
        self.action_id = new_id
        self.show_errors({})
        self.ctx.bus.announce("paqss")
        self.saved.emit(new_id)
        self.accept()

    # --- comments, evidence, links, journal ------------------------------------------------
    def add_comment(self) -> None:
        text = self.comment_text.toPlainText().strip()
        if not text:
            return
        if self.action_id is None:
            self.pending_comments.append(text)
        else:
            try:
                paqss.add_comment(self.db, self.action_id, text)
            except UserError as exc:
                show_error(self, exc)
                return
            self.ctx.bus.announce("paqss")
        self.comment_text.clear()
        self._refresh_side()

    def add_files(self, paths: list[Path]) -> None:
        for p in paths:
            if not p.is_file():
                continue
            if self.action_id is None:
                self.pending_files.append(p)
                continue
            try:
                paqss.add_evidence(self.db, self.action_id, p.read_bytes(), p.name)
            except (UserError, OSError) as exc:
                show_error(
                    self,
                    exc
                    if isinstance(exc, UserError)
                    else UserError(f"Lecture impossible de « {p.name} » : {exc}"),
                )
        if self.action_id is not None:
            self.ctx.bus.announce("paqss")
        self._refresh_side()

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Fichiers de preuve"))
        self.add_files([Path(f) for f in files])

    def _remove_evidence(self) -> None:
        item = self.evidence.currentItem()
        if item is None:
            return
        lien = item.data(Qt.ItemDataRole.UserRole)
        if lien is None:
            self.pending_files = [p for p in self.pending_files if p.name != item.text().split(" (")[0]]
        else:
            paqss.remove_evidence(self.db, lien)
            self.ctx.bus.announce("paqss")
        self._refresh_side()

    def _readable(self, champ: str, value: str) -> str:
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
        combo = names.get(champ)
        if combo is not None and value.isdigit():
            i = combo.findData(int(value))
            if i >= 0:
                return combo.itemText(i).split(" — ")[0] + f" (n° {value})"
        return value

    def _refresh_side(self) -> None:
        self.comments.clear()
        self.evidence.clear()
        self.links.clear()
        self.journal.setRowCount(0)
        if self.action_id is not None:
            for c in paqss.comments(self.db, self.action_id):
                self.comments.addItem(f"{c.cree_le:%d/%m/%Y %H:%M} — {c.auteur}\n{c.texte}")
            for e in paqss.evidence(self.db, self.action_id):
                it = QListWidgetItem(f"{e.nom} ({max(1, e.taille // 1024)} Ko)")
                it.setData(Qt.ItemDataRole.UserRole, e.lien_id)
                self.evidence.addItem(it)
            for lk in paqss.links(self.db, self.action_id):
                it = QListWidgetItem(f"{lk.type} — {lk.libelle} ({lk.nature})")
                it.setData(Qt.ItemDataRole.UserRole, lk.lien_id)
                self.links.addItem(it)
            for j in paqss.journal(self.db, self.action_id):
                r = self.journal.rowCount()
                self.journal.insertRow(r)
                old, new = (
                    self._readable(j.champ, j.ancienne_valeur),
                    self._readable(j.champ, j.nouvelle_valeur),
                )
                champ = j.champ or j.action
                if j.entite_type != "Action PAQSS":
                    champ = f"{j.entite_type} — {champ}"
                for col, val in enumerate((f"{j.horodatage:%d/%m/%Y %H:%M}", j.utilisateur, champ, old, new)):
                    self.journal.setItem(r, col, QTableWidgetItem(val))
        for t in self.pending_comments:
            self.comments.addItem(self.tr("(à l'enregistrement) ") + t)
        for p in self.pending_files:
            self.evidence.addItem(f"{p.name} (à l'enregistrement)")
        if self.links.count() == 0:
            self.links.addItem(self.tr("Aucun lien pour l'instant."))
        self.tabs.setTabText(2, self.tr("Commentaires (%1)").replace("%1", str(self.comments.count())))
        self.tabs.setTabText(3, self.tr("Preuves (%1)").replace("%1", str(self.evidence.count())))
