"""The plan as a tree (levels, scenarios, cell roles, fiches réflexes by role, directory, resources) with the
selected item's detail, and the role dialog (holder and deputies chosen in the directory)."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise.items import child, top
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

ROLE = Qt.ItemDataRole.UserRole


def _personne(x: v.PersonneV | None) -> str:
    if x is None:
        return "non désigné"
    return f"{x.nom}{' (inactif)' if not x.actif else ''}"


class PlanTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: v.PlanV | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tree = named(QTreeWidget(), "arbre_plan")
        self.tree.setHeaderLabels([self.tr("Plan"), self.tr("Détail")])
        self.tree.setColumnWidth(0, 360)
        self.detail = named(QTextBrowser(), "detail")
        split.addWidget(self.tree)
        from qualite_app.gui.widgets.liens import LiensPanel

        #: the plan's chain: the actions of its exercises' RETEX, the maturity campaigns, the annexes…
        self.liens = LiensPanel(ctx, titre=self.tr("Liens du plan"))
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.detail)
        side.addWidget(self.liens)
        side.setSizes([330, 250])
        split.addWidget(side)
        split.setSizes([620, 520])
        lay.addWidget(split)
        row = QHBoxLayout()
        self.btn_role = named(QPushButton(self.tr("Nouveau rôle…")), "nouveau_role")
        self.btn_edit_role = named(QPushButton(self.tr("Modifier…")), "modifier_role")
        self.btn_edit_role.setToolTip(
            self.tr(
                "Modifier l'élément choisi : titulaire et suppléants d'un rôle, critères d'un niveau, scénario"
            )
        )
        self.btn_scenario = named(QPushButton(self.tr("Nouveau scénario…")), "nouveau_scenario")
        row.addWidget(self.btn_role)
        row.addWidget(self.btn_scenario)
        row.addWidget(self.btn_edit_role)
        self.btn_remove_role = named(QPushButton(self.tr("Retirer le rôle")), "retirer_role")
        row.addWidget(self.btn_remove_role)
        self.btn_remove_role.clicked.connect(self.remove_role)
        row.addStretch(1)
        lay.addLayout(row)
        self.btn_role.clicked.connect(self.new_role)
        self.btn_scenario.clicked.connect(lambda: self.edit_scenario(None))
        self.btn_edit_role.clicked.connect(
            lambda: self._edit(item, 0) if (item := self.tree.currentItem()) is not None else None
        )
        self.tree.currentItemChanged.connect(self._show)
        self.tree.itemDoubleClicked.connect(self._edit)

    def set_plan(self, plan: v.PlanV | None) -> None:
        self.plan = plan
        self.tree.clear()
        self.detail.clear()
        self.liens.show_for("crise_plan" if plan else None, plan.id if plan else None, plan.nom if plan else "")
        if plan is None:
            return

        def group(label: str, count: int) -> QTreeWidgetItem:
            it = QTreeWidgetItem([label, str(count)])
            f = it.font(0)
            f.setBold(True)
            it.setFont(0, f)
            self.tree.addTopLevelItem(it)
            return it

        g = group(self.tr("Niveaux"), len(plan.niveaux))
        for n in plan.niveaux:
            self._leaf(g, n.nom, "", ("niveau", n.id))
        g = group(self.tr("Scénarios"), len(plan.scenarios))
        for x in plan.scenarios:
            self._leaf(
                g,
                f"{x.code} — {x.nom}",
                rules.libelle(rules.FAMILLES_SCENARIO, x.famille),
                ("scenario", x.id),
            )
        g = group(self.tr("Cellule de crise"), len(plan.roles))
        for r in plan.roles:
            it = self._leaf(g, f"{r.code} — {r.libelle}", _personne(r.titulaire), ("role", r.id))
            if r.titulaire is None or not r.titulaire.actif:
                it.setForeground(1, Qt.GlobalColor.red)
        g = group(self.tr("Fiches réflexes"), len(plan.fiches))
        for r in plan.roles:
            mine = [f for f in plan.fiches if f.role_id == r.id]
            if mine:
                sub = self._leaf(g, r.libelle, str(len(mine)), None)
                for f in mine:
                    self._leaf(
                        sub, f.titre, ", ".join(f.scenarios) or self.tr("tous scénarios"), ("fiche", f.id)
                    )
        g = group(self.tr("Annuaire de crise"), len(plan.contacts))
        for c in plan.contacts:
            self._leaf(g, c.fonction, c.tel or self.tr("à compléter"), ("contact", c.id))
        g = group(self.tr("Ressources"), len(plan.ressources))
        for res in plan.ressources:
            self._leaf(
                g,
                res.libelle,
                f"{res.quantite if res.quantite is not None else ''} {res.unite}".strip(),
                ("ressource", res.id),
            )
        for i in range(3):
            top(self.tree, i).setExpanded(True)
        cell = top(self.tree, 2)
        if cell.childCount():
            self.tree.setCurrentItem(child(cell, 0))  # the director's role: its detail shows at once

    def _leaf(
        self, parent: QTreeWidgetItem, text: str, detail: str, key: tuple[str, int] | None
    ) -> QTreeWidgetItem:
        it = QTreeWidgetItem([text, detail])
        if key is not None:  # never a None in a QVariant (PySide releases it once too often)
            it.setData(0, ROLE, key)
        parent.addChild(it)
        return it

    def _show(self, item: QTreeWidgetItem | None, _prev: object = None) -> None:
        if item is None or self.plan is None or not item.data(0, ROLE):
            return
        kind, ident = item.data(0, ROLE)
        self.detail.setHtml(detail_html(self.plan, kind, ident))

    def _edit(self, item: QTreeWidgetItem, _col: int) -> None:
        key = item.data(0, ROLE)
        if not key or self.plan is None:
            return
        if key[0] == "role":
            self.open_role(key[1])
        elif key[0] == "niveau":
            self.edit_level(key[1])
        elif key[0] == "scenario":
            self.edit_scenario(key[1])

    def _recharger(self) -> None:
        """Discard the user's changes (someone else saved the item meanwhile): the plan as the base holds it."""
        if self.plan is not None:
            self.set_plan(crise.contenu(self.ctx.db, self.plan.id))

    def edit_level(self, niveau_id: int) -> None:
        from qualite_app.gui.crise.formulaire import Formulaire

        assert self.plan is not None
        n = next(x for x in self.plan.niveaux if x.id == niveau_id)
        self.dialog = Formulaire(self, self.tr("Niveau"), [
            ("nom", self.tr("Nom"), n.nom, False), ("declenchement", self.tr("Critères de déclenchement"), n.declenchement, True),
            ("levee", self.tr("Critères de levée"), n.levee, True)])  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            # the version read with the plan; discarded: the page shows the level as the base holds it
            run_write(self.ctx, self, crise.save_niveau, self.ctx.db, niveau_id, x["nom"], x["declenchement"], x["levee"],
                      **self.plan.edition(n), recharger=self._recharger)  # fmt: skip

    def edit_scenario(self, scenario_id: int | None) -> None:
        from qualite_app.gui.crise.formulaire import Formulaire

        if self.plan is None:
            return
        x = next((s for s in self.plan.scenarios if s.id == scenario_id), None)
        self.dialog = Formulaire(self, self.tr("Scénario"), [
            ("code", self.tr("Code"), x.code if x else "", False), ("nom", self.tr("Nom"), x.nom if x else "", False),
            ("famille", self.tr("Famille"), x.famille if x else "transversal", False),
            ("couleur", self.tr("Couleur (#RRGGBB, codes du Québec)"), (x.couleur or "") if x else "", False),
            ("description", self.tr("Description"), x.description if x else "", True)],
            {"famille": [(label, code) for code, label in rules.FAMILLES_SCENARIO.items()]})  # fmt: skip
        if self.dialog.exec():
            d = self.dialog.values()
            run_write(self.ctx, self, crise.save_scenario, self.ctx.db, self.plan.id, d["code"], d["nom"], d["famille"],
                      d["description"], d["couleur"].strip() or None, scenario_id,
                      **(self.plan.edition(x) if x else {}), recharger=self._recharger)  # fmt: skip

    def remove_role(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        item = self.tree.currentItem()
        key = item.data(0, ROLE) if item is not None else None
        if item is None or not key or key[0] != "role":
            return
        answer = QMessageBox.question(
            self,
            self.tr("Retirer le rôle"),
            self.tr(
                "Retirer « %1 » de la cellule de crise ? Ses fiches réflexes restent, sans rôle."
            ).replace("%1", item.text(0)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            run_write(self.ctx, self, crise.delete_role, self.ctx.db, key[1])

    def new_role(self) -> None:
        from qualite_app.gui.crise.formulaire import Formulaire

        if self.plan is None:
            return
        self.dialog = Formulaire(self, self.tr("Nouveau rôle de la cellule"), [
            ("code", self.tr("Code (ex. DPI)"), "", False), ("libelle", self.tr("Intitulé"), "", False),
            ("mission", self.tr("Mission"), "", True), ("rend_compte_a", self.tr("Rend compte à"), "", False),
            ("lieu", self.tr("Lieu"), "", False)])  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            data = crise.RoleData(x["code"], x["libelle"], x["mission"], x["rend_compte_a"], x["lieu"])
            run_write(self.ctx, self, crise.save_role, self.ctx.db, self.plan.id, data)

    def open_role(self, role_id: int) -> None:
        assert self.plan is not None
        role = next(r for r in self.plan.roles if r.id == role_id)
        self.role_dialog = RoleDialog(self.ctx, self.plan.id, role, self, lu=self.plan.edition(role))
        self.role_dialog.open()


def detail_html(plan: v.PlanV, kind: str, ident: int) -> str:
    e = escape
    if kind == "niveau":
        n = next(x for x in plan.niveaux if x.id == ident)
        return f"<h3>{e(n.nom)}</h3><p><b>Déclenchement.</b> {e(n.declenchement)}</p><p><b>Levée.</b> {e(n.levee)}</p>"
    if kind == "scenario":
        x = next(s for s in plan.scenarios if s.id == ident)
        fiches = [f.titre for f in plan.fiches if x.code in f.scenarios]
        return (
            f"<h3>{e(x.nom)}</h3><p>{e(x.description)}</p><p><b>Fiches propres :</b></p><ul>"
            + "".join(f"<li>{e(t)}</li>" for t in fiches)
            + "</ul>"
        )
    if kind == "role":
        r = next(x for x in plan.roles if x.id == ident)
        deps = "".join(f"<li>{e(_personne(d))}</li>" for d in r.suppleants) or "<li>aucun</li>"
        return (f"<h3>{e(r.libelle)} ({e(r.code)})</h3><p>{e(r.mission)}</p><p><b>Titulaire :</b> {e(_personne(r.titulaire))}</p>"
                f"<p><b>Suppléants :</b></p><ul>{deps}</ul><p><i>Double-cliquez pour désigner le titulaire et les suppléants.</i></p>")  # fmt: skip
    if kind == "fiche":
        f = next(x for x in plan.fiches if x.id == ident)
        out = f"<h3>{e(f.titre)}</h3><p><b>Mission :</b> {e(f.mission)}</p><p><b>Où se rendre :</b> {e(f.lieu or '—')}</p>"
        for code, label in rules.PHASES.items():
            ts = [t for t in f.taches if t.phase == code]
            if ts:
                out += (
                    f"<p><b>{e(label)}</b></p><ul>"
                    + "".join(f"<li>☐ {e(t.texte)}{' — ' + e(t.qui) if t.qui else ''}</li>" for t in ts)
                    + "</ul>"
                )
        return out
    if kind == "contact":
        c = next(x for x in plan.contacts if x.id == ident)
        return (f"<h3>{e(c.fonction)}</h3><p>{e(c.nom)} {e(c.organisme)}</p><p style='font-size:16pt'><b>{e(c.tel or 'à compléter')}</b></p>"
                f"<p>Secours : {e(c.tel_secours or '—')}</p><p>Appelé par : {e(c.appele_par or '—')}</p>")  # fmt: skip
    r2 = next(x for x in plan.ressources if x.id == ident)
    return f"<h3>{e(r2.libelle)}</h3><p>{e(r2.service)} {e(r2.localisation)}</p><p>{r2.quantite or ''} {e(r2.unite)}</p>"


class RoleDialog(QDialog):
    """Holder and ordered deputies of a role, picked in the directory (inactive people are marked)."""

    def __init__(self, ctx: AppContext, plan_id: int, role: v.RoleV, parent: QWidget | None = None, *,
                 lu: dict[str, Any] | None = None) -> None:  # fmt: skip
        """``lu``: the role's version as the plan was read (``PlanV.edition``), what a save is checked against."""
        super().__init__(parent)
        self.ctx, self.plan_id, self.role = ctx, plan_id, role
        self.setWindowTitle(self.tr("Rôle « %1 »").replace("%1", role.libelle))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self._edition = lu or {"version_ligne": role.version_ligne}  # the version opened (optimistic locking)
        self.libelle = named(QLineEdit(role.libelle), "libelle")
        self.mission = named(QPlainTextEdit(role.mission), "mission")
        self.mission.setFixedHeight(60)
        self.titulaire = named(QComboBox(), "titulaire")
        self.titulaire.addItem(self.tr("(non désigné)"))
        self.suppleants = named(QListWidget(), "suppleants")
        chosen = {d.id for d in role.suppleants}
        for pid, label, actif in crise.personne_choices(ctx.db):
            text = label + ("" if actif else self.tr(" (inactif)"))
            self.titulaire.addItem(text, pid)
            it = QListWidgetItem(text)
            it.setData(ROLE, pid)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if pid in chosen else Qt.CheckState.Unchecked)
            self.suppleants.addItem(it)
        if role.titulaire is not None:
            self.titulaire.setCurrentIndex(self.titulaire.findData(role.titulaire.id))
        form.addRow(self.tr("Intitulé"), self.libelle)
        form.addRow(self.tr("Mission"), self.mission)
        form.addRow(self.tr("Titulaire"), self.titulaire)
        form.addRow(self.tr("Suppléants"), self.suppleants)
        lay.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(620, 560)

    def save(self) -> None:
        order = [d.id for d in self.role.suppleants]
        checked = [self.suppleants.item(i).data(ROLE) for i in range(self.suppleants.count())
                   if self.suppleants.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip
        deps = [d for d in order if d in checked] + [d for d in checked if d not in order]
        data = crise.RoleData(self.role.code, self.libelle.text(), self.mission.toPlainText(), self.role.rend_compte_a,
                              self.role.lieu, self.titulaire.currentData(), deps, **self._edition)  # fmt: skip
        # discarded: the dialog closes, the plan's page shows the role as the base holds it
        if (
            run_write(self.ctx, self, crise.save_role, self.ctx.db, self.plan_id, data, self.role.id, recharger=self.reject)
            is not None
        ):
            self.accept()
