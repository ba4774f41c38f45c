"""The main courante tab: activate the plan, type entries without the mouse (Enter writes, Alt+F/D/A/M pick
the category), correct an entry (a new one strikes it), points de situation, ticks of the fiches réflexes,
stand-down, and the log as a PDF. Every entry is committed at once by the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise.formulaire import Formulaire
from qualite_app.gui.crise.items import cell_data, child, selected_row
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

COLUMNS = ["N°", "Heure", "Catégorie", "Auteur", "Texte"]


class MainCouranteTab(QWidget):
    def __init__(
        self, ctx: AppContext, save_log: Callable[[int], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.save_log = save_log
        self.plan: v.PlanV | None = None
        self.activation_id: int | None = None
        #: the activation whose log is shown, and for each row shown whether it is struck through
        self._shown: int | None = None
        self._log_of: int | None = None
        self._struck: list[bool] = []
        lay = QVBoxLayout(self)
        # --- activation form (no activation in progress)
        self.form_box = named(QGroupBox(self.tr("Activer le plan")), "activation")
        form = QFormLayout(self.form_box)
        self.niveau = named(QComboBox(), "niveau")
        self.scenario = named(QComboBox(), "scenario")
        self.declencheur = named(QLineEdit(), "declencheur")
        self.declencheur.setPlaceholderText(
            self.tr("Événement déclencheur (faits, heure, source de l'alerte)")
        )
        self.decideur = named(QLineEdit(), "decideur")
        self.exercice = named(QCheckBox(self.tr("Exercice (pas une activation réelle)")), "exercice")
        self.btn_activer = named(QPushButton(self.tr("Activer le plan")), "activer")
        form.addRow(self.tr("Niveau"), self.niveau)
        form.addRow(self.tr("Scénario"), self.scenario)
        form.addRow(self.tr("Déclencheur"), self.declencheur)
        form.addRow(self.tr("Décidé par"), self.decideur)
        form.addRow("", self.exercice)
        form.addRow("", self.btn_activer)
        lay.addWidget(self.form_box)
        # --- the log
        self.status = named(QLabel(), "etat_activation")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-weight:600; color:#C62828")
        lay.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.table = named(QTableWidget(0, len(COLUMNS)), "journal")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        ll.addWidget(self.table, 1)
        entry = QHBoxLayout()
        self.categorie = named(QComboBox(), "categorie")
        for code, key in rules.RACCOURCIS_ENTREE.items():
            self.categorie.addItem(f"{rules.CATEGORIES_ENTREE[code]} (Alt+{key})", code)
        self.saisie = named(QLineEdit(), "saisie")
        self.saisie.setPlaceholderText(
            self.tr("Tapez l'entrée puis Entrée — Alt+F fait, Alt+D décision, Alt+A action, Alt+M message")
        )
        entry.addWidget(self.categorie)
        entry.addWidget(self.saisie, 1)
        ll.addLayout(entry)
        actions = QHBoxLayout()
        self.btn_corriger = named(QPushButton(self.tr("Corriger l'entrée… (Ctrl+K)")), "corriger")
        self.btn_point = named(QPushButton(self.tr("Point de situation… (Ctrl+P)")), "point")
        self.btn_lever = named(QPushButton(self.tr("Lever l'activation…")), "lever")
        self.btn_pdf = named(QPushButton(self.tr("Main courante en PDF…")), "main_courante_pdf")
        for b in (self.btn_corriger, self.btn_point, self.btn_lever, self.btn_pdf):
            actions.addWidget(b)
        actions.addStretch(1)
        ll.addLayout(actions)
        split.addWidget(left)
        self.checklist = named(QTreeWidget(), "checklist")
        self.checklist.setHeaderLabels([self.tr("Fiches réflexes — tâches à cocher")])
        split.addWidget(self.checklist)
        split.setSizes([760, 380])
        lay.addWidget(split, 1)

        self.btn_activer.clicked.connect(self.activer)
        self.declencheur.returnPressed.connect(self.activer)  # keyboard only: type the trigger, Enter
        self.saisie.returnPressed.connect(self.ecrire)
        self.btn_corriger.clicked.connect(self.corriger)
        self.btn_point.clicked.connect(self.point)
        self.btn_lever.clicked.connect(self.lever)
        self.btn_pdf.clicked.connect(lambda: self._shown is not None and self.save_log(self._shown))
        self.checklist.itemChanged.connect(self._ticked)
        for code, key in rules.RACCOURCIS_ENTREE.items():
            sc = QShortcut(QKeySequence(f"Alt+{key}"), self)
            sc.activated.connect(lambda c=code: self._pick(c))
        QShortcut(QKeySequence("Ctrl+K"), self).activated.connect(self.corriger)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.point)
        self._filling = False

    # --- loading -------------------------------------------------------------------------------
    def set_plan(self, plan: v.PlanV | None) -> None:
        self.plan = plan
        self.niveau.clear()
        self.scenario.clear()
        self.scenario.addItem(self.tr("(non précisé)"))
        if plan is not None:
            for n in plan.niveaux:
                self.niveau.addItem(n.nom, n.id)
            for x in plan.scenarios:
                self.scenario.addItem(f"{x.nom} ({x.code})", x.id)
        if not self.decideur.text():
            self.decideur.setText(self.ctx.db.actor.display_name)
        self.reload()

    def refresh(self) -> None:
        """After an entry or a tick: only the log moves, unless the activation itself changed."""
        current = crise.activation_en_cours(self.ctx.db, self.plan.id) if self.plan else None
        if current is not None and current == self.activation_id:
            self.reload_log()
        else:
            self.reload()

    def reload(self) -> None:
        self.activation_id = crise.activation_en_cours(self.ctx.db, self.plan.id) if self.plan else None
        active = self.activation_id is not None
        self.form_box.setVisible(not active and self.plan is not None)
        for w in (self.saisie, self.categorie, self.btn_corriger, self.btn_point, self.btn_lever):
            w.setEnabled(active)
        shown = self.activation_id
        if not active and self.plan is not None:
            past = crise.activations(self.ctx.db, self.plan.id)
            shown = past[0].id if past else None
        self.btn_pdf.setEnabled(shown is not None)
        if shown is None:
            self.status.setText(self.tr("Aucune activation en cours."))
            self.table.setRowCount(0)
            self.checklist.clear()
            self._shown, self._log_of, self._struck = None, None, []
            return
        a = crise.activation(self.ctx.db, shown)
        self._shown = shown
        if active:
            self.status.setText(self.tr("ACTIVATION EN COURS depuis le %1 — %2 — %3").replace("%1", f"{a.declenchee_le:%d/%m/%Y %H:%M}")
                                .replace("%2", a.niveau or "niveau non précisé").replace("%3", a.declencheur))  # fmt: skip
        else:
            self.status.setText(self.tr("Dernière activation : du %1 au %2 (levée). Aucune activation en cours.")
                                .replace("%1", f"{a.declenchee_le:%d/%m/%Y %H:%M}").replace("%2", f"{a.levee_le:%d/%m/%Y %H:%M}" if a.levee_le else "—"))  # fmt: skip
        self.reload_log()
        self._fill_checklist(a)

    def reload_log(self) -> None:
        """Append the new entries and strike the newly corrected ones; the rows already shown stay (an entry
        never changes), so writing one entry costs one row, not the whole log."""
        shown = self._shown
        rows = crise.entrees(self.ctx.db, shown) if shown else []
        if self._log_of != shown or len(rows) < len(self._struck):
            self.table.setRowCount(0)
            self._struck = []
            self._log_of = shown
        for i, e in enumerate(rows[: len(self._struck)]):
            if e.barree_par and not self._struck[i]:
                self._fill_row(i, e)
        start = len(self._struck)
        if len(rows) > start:
            self.table.setRowCount(len(rows))
            for i, e in enumerate(rows[start:], start=start):
                self._struck.append(False)
                self._fill_row(i, e)
            self.table.scrollToBottom()

    def _fill_row(self, i: int, e: v.EntreeV) -> None:
        text = e.texte
        if e.corrige_numero:
            text = self.tr("Corrige l'entrée n° %1 : ").replace("%1", str(e.corrige_numero)) + text
        categorie = rules.libelle(rules.CATEGORIES_ENTREE, e.categorie)
        if e.barree_par:  # the struck text stays as it was written; the pointer goes beside it, not struck
            categorie += self.tr(" — corrigée par le n° %1").replace("%1", str(e.barree_par))
        cells = [str(e.numero), f"{e.horodatage:%H:%M:%S}", categorie, e.auteur, text]
        for j, c in enumerate(cells):
            item = QTableWidgetItem(c)
            item.setData(Qt.ItemDataRole.UserRole, e.numero)
            if j == 4:
                item.setData(Qt.ItemDataRole.UserRole + 1, e.texte)
            if e.barree_par:
                f = QFont(item.font())
                f.setStrikeOut(j == 4)
                item.setFont(f)
                item.setForeground(QBrush(QColor("#8A94A3")))
            self.table.setItem(i, j, item)
        self._struck[i] = bool(e.barree_par)

    def _fill_checklist(self, a: v.ActivationV) -> None:
        self._filling = True
        try:
            self.checklist.clear()
            if self.plan is None:
                return
            code = next((x.code for x in self.plan.scenarios if x.nom == a.scenario), None)
            done = crise.coches(self.ctx.db, a.id)
            open_ = a.levee_le is None
            for f in self.plan.fiches:
                if f.scenarios and code not in f.scenarios:
                    continue
                top = QTreeWidgetItem([f"{f.role_code} — {f.titre}"])
                self.checklist.addTopLevelItem(top)
                for t in f.taches:
                    item = QTreeWidgetItem([f"{rules.PHASES[t.phase].split(' (')[0]} : {t.texte}"])
                    item.setToolTip(0, f"{t.texte}{' — ' + t.qui if t.qui else ''}")
                    item.setData(0, Qt.ItemDataRole.UserRole, t.id)
                    flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                    item.setFlags(flags if open_ else flags & ~Qt.ItemFlag.ItemIsEnabled)
                    item.setCheckState(0, Qt.CheckState.Checked if t.id in done else Qt.CheckState.Unchecked)
                    top.addChild(item)
                top.setExpanded(
                    any(
                        child(top, k).checkState(0) == Qt.CheckState.Unchecked
                        for k in range(top.childCount())
                    )
                    and len(self.plan.fiches) < 40
                )
        finally:
            self._filling = False

    # --- actions ------------------------------------------------------------------------------
    def _pick(self, code: str) -> None:
        self.categorie.setCurrentIndex(self.categorie.findData(code))
        self.saisie.setFocus()

    def activer(self) -> None:
        if self.plan is None:
            return
        aid = run_write(self.ctx, self, crise.activer, self.ctx.db, self.plan.id, niveau_id=self.niveau.currentData(),
                        scenario_id=self.scenario.currentData(), declencheur=self.declencheur.text(),
                        decidee_par=self.decideur.text(), exercice=self.exercice.isChecked())  # fmt: skip
        if aid is not None:
            self.declencheur.clear()
            self.reload()
            self.saisie.setFocus()

    def ecrire(self) -> None:
        if self.activation_id is None:
            return
        n = run_write(
            self.ctx,
            self,
            crise.ecrire,
            self.ctx.db,
            self.activation_id,
            self.categorie.currentData(),
            self.saisie.text(),
        )
        if n is not None:
            self.saisie.clear()
            self.reload_log()  # at once (the ChangeSet arrives queued: the page then finds nothing new)

    def selected_number(self) -> int | None:
        row = selected_row(self.table)
        return None if row is None else int(cell_data(self.table, row))

    def corriger(self) -> None:
        n = self.selected_number()
        if self.activation_id is None or n is None:
            return
        row = next(i for i in range(self.table.rowCount()) if cell_data(self.table, i) == n)
        raw = cell_data(self.table, row, 4, Qt.ItemDataRole.UserRole + 1) or ""
        title = self.tr("Corriger l'entrée n° %1").replace("%1", str(n))
        self.dialog = Formulaire(self, title, [("texte", self.tr("Texte corrigé"), raw, False)])
        if not self.dialog.exec():
            return
        texte = self.dialog.values()["texte"]
        if run_write(self.ctx, self, crise.corriger, self.ctx.db, self.activation_id, n, texte) is not None:
            self.reload_log()

    def point(self) -> None:
        if self.activation_id is None:
            return
        self.dialog = Formulaire(self, self.tr("Point de situation"), [
            ("conditions", self.tr("Situation"), "", True), ("actions", self.tr("Actions en cours"), "", True),
            ("besoins", self.tr("Besoins"), "", True)])  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            if (
                run_write(
                    self.ctx,
                    self,
                    crise.point_de_situation,
                    self.ctx.db,
                    self.activation_id,
                    x["conditions"],
                    x["actions"],
                    x["besoins"],
                )
                is not None
            ):
                self.reload_log()

    def lever(self) -> None:
        if self.activation_id is None:
            return
        self.dialog = Formulaire(self, self.tr("Lever l'activation"), [
            ("levee_par", self.tr("Levée décidée par"), self.ctx.db.actor.display_name, False),
            ("motif", self.tr("Motif de la levée"), "", True)])  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            run_write(
                self.ctx,
                self,
                crise.lever,
                self.ctx.db,
                self.activation_id,
                levee_par=x["levee_par"],
                motif=x["motif"],
                le=datetime.now().replace(microsecond=0),
            )
            self.reload()

    def _ticked(self, item: QTreeWidgetItem, _col: int) -> None:
        tache = item.data(0, Qt.ItemDataRole.UserRole)
        if self._filling or tache is None or self.activation_id is None:
            return
        run_write(
            self.ctx,
            self,
            crise.cocher,
            self.ctx.db,
            self.activation_id,
            int(tache),
            item.checkState(0) == Qt.CheckState.Checked,
        )
        self.reload_log()
