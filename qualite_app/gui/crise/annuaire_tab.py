"""The crisis directory (sorted by category and function, large numbers, call-back plan) with an add /
edit form, and the exercises with their RETEX findings, each turned into a PAQSS action in one click."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
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
from qualite_app.gui.crise.items import cell_data, selected_row
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

ROLE = Qt.ItemDataRole.UserRole
COLS = ["Catégorie", "Fonction", "Nom / organisme", "Téléphone 24 h/24", "Secours", "Appelé par"]


class AnnuaireTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: v.PlanV | None = None
        self.contact_id: int | None = None
        lay = QVBoxLayout(self)
        self.table = named(QTableWidget(0, len(COLS)), "annuaire")
        self.table.setHorizontalHeaderLabels(COLS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        form = QFormLayout()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.categorie = named(QComboBox(), "categorie_contact")
        for code, label in rules.CATEGORIES_CONTACT.items():
            self.categorie.addItem(label, code)
        self.fonction = named(QLineEdit(), "fonction")
        self.nom = named(QLineEdit(), "nom")
        self.organisme = named(QLineEdit(), "organisme")
        self.tel = named(QLineEdit(), "tel")
        self.tel_secours = named(QLineEdit(), "tel_secours")
        self.appele_par = named(QComboBox(), "appele_par")
        self.roles = named(QLineEdit(), "roles_contact")
        self.roles.setPlaceholderText(self.tr("codes des rôles (cartes), ex. DIR,URG"))
        for w in (self.categorie, self.fonction, self.nom, self.organisme):
            row1.addWidget(w)
        for w in (self.tel, self.tel_secours, self.appele_par, self.roles):
            row2.addWidget(w)
        self.fonction.setPlaceholderText(self.tr("Fonction"))
        self.nom.setPlaceholderText(self.tr("Nom"))
        self.organisme.setPlaceholderText(self.tr("Organisme"))
        self.tel.setPlaceholderText(self.tr("Téléphone 24 h/24"))
        self.tel_secours.setPlaceholderText(self.tr("Secours"))
        form.addRow(self.tr("Contact"), row1)
        form.addRow(self.tr("Numéros"), row2)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.btn_new = named(QPushButton(self.tr("Nouveau contact")), "nouveau_contact")
        self.btn_save = named(QPushButton(self.tr("Enregistrer le contact")), "enregistrer_contact")
        self.btn_delete = named(QPushButton(self.tr("Retirer le contact")), "retirer_contact")
        buttons.addWidget(self.btn_new)
        buttons.addWidget(self.btn_delete)
        buttons.addStretch(1)
        buttons.addWidget(self.btn_save)
        lay.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selected)
        self.btn_new.clicked.connect(self._clear)
        self.btn_save.clicked.connect(self.save)
        self.btn_delete.clicked.connect(self.delete)
        self.tel.returnPressed.connect(self.save)

    def set_plan(self, plan: v.PlanV | None) -> None:
        self.plan = plan
        contacts = plan.contacts if plan else ()
        self.table.setRowCount(len(contacts))
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        for i, c in enumerate(contacts):
            cells = [rules.libelle(rules.CATEGORIES_CONTACT, c.categorie), c.fonction, " — ".join(x for x in (c.nom, c.organisme) if x),
                     c.tel or self.tr("à compléter"), c.tel_secours, c.appele_par]  # fmt: skip
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(ROLE, c.id)
                if j == 3:
                    it.setFont(big)
                self.table.setItem(i, j, it)
        self.appele_par.clear()
        self.appele_par.addItem(self.tr("(appelé par : personne)"))  # no data: PySide mis-counts None
        for c in contacts:
            self.appele_par.addItem(f"{c.fonction} — {c.nom}".strip(" —"), c.id)
        self._clear()

    def _clear(self) -> None:
        self.contact_id = None
        self._edition: dict[str, Any] = {}
        for e in (self.fonction, self.nom, self.organisme, self.tel, self.tel_secours, self.roles):
            e.clear()
        self.appele_par.setCurrentIndex(0)
        self.table.clearSelection()

    def _selected(self) -> None:
        row = selected_row(self.table)
        if row is None or self.plan is None:
            return
        cid = cell_data(self.table, row)
        c = next(x for x in self.plan.contacts if x.id == cid)
        self.contact_id = cid
        self._edition = self.plan.edition(c)  # the version read with the directory (optimistic locking)
        self.categorie.setCurrentIndex(self.categorie.findData(c.categorie))
        self.fonction.setText(c.fonction)
        self.nom.setText(c.nom)
        self.organisme.setText(c.organisme)
        self.tel.setText(c.tel)
        self.tel_secours.setText(c.tel_secours)
        self.roles.setText(",".join(c.roles))
        caller = next(
            (x.id for x in self.plan.contacts if f"{x.fonction} — {x.nom}".strip(" —") == c.appele_par), None
        )
        self.appele_par.setCurrentIndex(max(0, self.appele_par.findData(caller)) if caller is not None else 0)

    def delete(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.contact_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Retirer le contact"),
            self.tr("Retirer « %1 » de l'annuaire de crise ?").replace("%1", self.fonction.text()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            run_write(self.ctx, self, crise.delete_contact, self.ctx.db, self.contact_id)

    def save(self) -> None:
        if self.plan is None:
            return
        data = crise.ContactData(self.fonction.text(), self.categorie.currentData(), self.nom.text(), self.organisme.text(),
                                 self.tel.text(), self.tel_secours.text(), appele_par_id=self.appele_par.currentData(),
                                 roles=self.roles.text(), **(self._edition if self.contact_id is not None else {}))  # fmt: skip
        run_write(self.ctx, self, crise.save_contact, self.ctx.db, self.plan.id, data, self.contact_id,
                  recharger=self._reload)  # fmt: skip

    def _reload(self) -> None:
        """Discard the user's changes: the directory as the base holds it now, the same contact selected."""
        if self.plan is None:
            return
        cid = self.contact_id
        self.set_plan(crise.contenu(self.ctx.db, self.plan.id))
        row = next((r for r in range(self.table.rowCount()) if cell_data(self.table, r) == cid), None)
        if row is not None:
            self.table.selectRow(row)
            self._selected()


class ExercicesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        lay = QVBoxLayout(self)
        self.tree = named(QTreeWidget(), "exercices")
        self.tree.setHeaderLabels(
            [self.tr("Exercice / constat"), self.tr("Date / type"), self.tr("Actions PAQSS")]
        )
        self.tree.setColumnWidth(0, 640)
        self.tree.setColumnWidth(1, 260)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.hint = QLabel(
            self.tr(
                "Choisissez un constat à améliorer, puis créez l'action PAQSS (source « RETEX », liée au plan)."
            )
        )
        self.btn_action = named(QPushButton(self.tr("Créer l'action PAQSS")), "creer_action")
        self.btn_exercice = named(QPushButton(self.tr("Nouvel exercice…")), "nouvel_exercice")
        self.btn_constat = named(QPushButton(self.tr("Ajouter un constat…")), "ajouter_constat")
        self.btn_modifier = named(QPushButton(self.tr("Modifier…")), "modifier_exercice")
        self.btn_modifier.setToolTip(self.tr("Modifier l'exercice choisi (débriefing, RETEX) ou le constat choisi"))
        self.maturite = named(QLabel(), "maturite")
        self.maturite.setWordWrap(True)
        self.btn_maturite = named(
            QPushButton(self.tr("Autoévaluation de maturité…")), "autoevaluation_maturite"
        )
        row.addWidget(self.hint, 1)
        for b in (self.btn_exercice, self.btn_modifier, self.btn_constat, self.btn_action):
            row.addWidget(b)
        lay.addLayout(row)
        mrow = QHBoxLayout()
        mrow.addWidget(self.maturite, 1)
        mrow.addWidget(self.btn_maturite)
        lay.addLayout(mrow)
        self.btn_maturite.clicked.connect(self.start_maturity)
        self.btn_action.clicked.connect(self.create_action)
        self.btn_exercice.clicked.connect(self.new_exercise)
        self.btn_constat.clicked.connect(self.add_finding)
        self.btn_modifier.clicked.connect(self.edit_current)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_current())
        self.scenarios: list[tuple[str, int]] = []
        #: the findings as the list read them (text, nature, row version) and when: what their form opens
        self._constats: dict[int, crise.ConstatRow] = {}
        self._lu: Any = None

    def set_plan(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.tree.clear()
        self.maturite.clear()
        self._constats.clear()
        if plan_id is None:
            return
        rows = crise.autoevaluations_maturite(self.ctx.db, plan_id)
        lines = [
            f"{m.nom} — {m.referentiel} : {m.evalues} évalué(s), {m.a_evaluer} à évaluer"
            + (
                f", satisfaction {m.satisfaction:.0f} %".replace(".", ",")
                if m.satisfaction is not None
                else ""
            )
            for m in rows
        ]
        self.maturite.setText(
            self.tr("Autoévaluations de maturité (grille saisie dans la page Certification) :\n")
            + "\n".join(lines)
            if lines
            else self.tr("Aucune autoévaluation de maturité de la gestion de crise pour ce plan.")
        )
        for e in crise.exercices(self.ctx.db, plan_id):
            self._lu = e.charge_le
            top = QTreeWidgetItem([e.intitule, f"{e.le:%d/%m/%Y} — {e.type_libelle}", ""])
            top.setData(1, ROLE, e.id)
            self.tree.addTopLevelItem(top)
            if e.debrief_chaud:
                top.addChild(QTreeWidgetItem([self.tr("Débriefing à chaud : ") + e.debrief_chaud, "", ""]))
            if e.retex:
                top.addChild(
                    QTreeWidgetItem(
                        [self.tr("RETEX : ") + e.retex, f"{e.retex_le:%d/%m/%Y}" if e.retex_le else "", ""]
                    )
                )
            for c in e.constats:
                it = QTreeWidgetItem(
                    [
                        ("✓ " if c.point_fort else "△ ") + c.texte,
                        self.tr("point fort") if c.point_fort else "",
                        ", ".join(c.actions),
                    ]
                )
                if not c.point_fort:
                    it.setData(0, ROLE, c.id)
                it.setData(2, ROLE, c.id)
                self._constats[c.id] = c
                top.addChild(it)
            top.setExpanded(True)

    def new_exercise(self) -> None:
        from qualite_app.gui.crise import proprietes

        if self.plan_id is not None and proprietes.nouvel_exercice(
            self.ctx, self, self.plan_id, self.scenarios
        ):
            self.set_plan(self.plan_id)

    def edit_current(self) -> None:
        """« Modifier… »: the exercise chosen (its form), or the finding chosen (its text, its nature)."""
        from qualite_app.gui.crise import proprietes
        from qualite_app.gui.crise.formulaire import Formulaire

        it = self.tree.currentItem()
        if it is None or self.plan_id is None:
            self.hint.setText(self.tr("Choisissez d'abord l'exercice ou le constat."))
            return
        if it.parent() is None:
            if proprietes.editer_exercice(self.ctx, self, self.plan_id, self.scenarios, int(it.data(1, ROLE))):
                self.set_plan(self.plan_id)
            return
        c = self._constats.get(it.data(2, ROLE))
        if c is None:  # the debrief or the RETEX line: the exercise's own form
            parent = it.parent()
            assert parent is not None
            self.tree.setCurrentItem(parent)
            self.edit_current()
            return
        self.dialog = Formulaire(self, self.tr("Constat du RETEX"), [("texte", self.tr("Constat"), c.texte, True),
                                 ("nature", self.tr("Nature"), str(int(c.point_fort)), False)],
                                 {"nature": [(self.tr("À améliorer"), 0), (self.tr("Point fort"), 1)]})  # fmt: skip
        if not self.dialog.exec():
            return
        x = self.dialog.values()
        # the version the list read; discarded: the list shows the finding as the base holds it
        run_write(self.ctx, self, crise.modifier_constat, self.ctx.db, c.id, x["texte"], point_fort=bool(x["nature"]),
                  version_ligne=c.version_ligne, charge_le=self._lu, recharger=lambda: None)  # fmt: skip
        self.set_plan(self.plan_id)

    def add_finding(self) -> None:
        from qualite_app.gui.crise.formulaire import Formulaire

        it = self.tree.currentItem()
        while it is not None and it.parent() is not None:
            it = it.parent()
        if it is None:
            self.hint.setText(self.tr("Choisissez d'abord l'exercice."))
            return
        exercice_id = int(it.data(1, ROLE))
        self.dialog = Formulaire(self, self.tr("Constat du RETEX"), [("texte", self.tr("Constat"), "", True), ("nature", self.tr("Nature"), "0", False)],
                                 {"nature": [(self.tr("À améliorer"), 0), (self.tr("Point fort"), 1)]})  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            if (
                run_write(
                    self.ctx,
                    self,
                    crise.ajouter_constat,
                    self.ctx.db,
                    exercice_id,
                    x["texte"],
                    point_fort=bool(x["nature"]),
                )
                is not None
            ):
                self.set_plan(self.plan_id)

    def start_maturity(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self.plan_id is None:
            return
        grids = crise.referentiels_maturite(self.ctx.db)
        if not grids:
            self.maturite.setText(
                self.tr(
                    "Importez d'abord la grille de maturité (par exemple celle de l'ANSSI, bibliothèque CISO Assistant) dans la page Certification."
                )
            )
            return
        labels = [label for _id, label in grids]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Autoévaluation de maturité"), self.tr("Grille :"), labels, 0, False
        )
        if (
            ok
            and run_write(
                self.ctx,
                self,
                crise.lancer_autoevaluation,
                self.ctx.db,
                self.plan_id,
                grids[labels.index(choice)][0],
            )
            is not None
        ):
            self.set_plan(self.plan_id)

    def create_action(self) -> None:
        it = self.tree.currentItem()
        cid = it.data(0, ROLE) if it is not None else None
        if it is None or cid is None:
            self.hint.setText(self.tr("Choisissez d'abord un constat à améliorer (△)."))
            return
        if it.text(2):
            self.hint.setText(
                self.tr("Ce constat a déjà donné lieu à l'action %1.").replace("%1", it.text(2))
            )
            return
        if (
            run_write(self.ctx, self, crise.constat_vers_paqss, self.ctx.db, cid, today=date.today())
            is not None
        ):
            self.set_plan(self.plan_id)
