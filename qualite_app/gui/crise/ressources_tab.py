"""Resources (beds that can be freed, stocks, rooms, equipment) and message templates of the plan: a table
each, edited through a small form; each save or removal is one service call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.crise import donnees as v
from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.gui.context import AppContext
from qualite_app.gui.crise.formulaire import Formulaire
from qualite_app.gui.crise.items import cell_data, selected_row
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named

ROLE = Qt.ItemDataRole.UserRole


def _table(headers: list[str], name: str) -> QTableWidget:
    t = named(QTableWidget(0, len(headers)), name)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class RessourcesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: v.PlanV | None = None
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel(self.tr("Ressources : lits libérables, stocks, locaux, matériel")))
        self.ressources = _table(
            [
                self.tr("Type"),
                self.tr("Ressource"),
                self.tr("Service"),
                self.tr("Quantité"),
                self.tr("Localisation"),
            ],
            "ressources",
        )
        tl.addWidget(self.ressources, 1)
        row = QHBoxLayout()
        self.btn_res_new = named(QPushButton(self.tr("Nouvelle ressource…")), "nouvelle_ressource")
        self.btn_res_edit = named(QPushButton(self.tr("Modifier…")), "modifier_ressource")
        self.btn_res_del = named(QPushButton(self.tr("Retirer")), "retirer_ressource")
        for b in (self.btn_res_new, self.btn_res_edit, self.btn_res_del):
            row.addWidget(b)
        row.addStretch(1)
        tl.addLayout(row)
        split.addWidget(top)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(
            QLabel(self.tr("Modèles de messages (alerte du personnel, information de l'ARS, levée)"))
        )
        self.messages = _table(
            [self.tr("Titre"), self.tr("Destinataire"), self.tr("Canal"), self.tr("Texte")], "messages"
        )
        bl.addWidget(self.messages, 1)
        row = QHBoxLayout()
        self.btn_msg_new = named(QPushButton(self.tr("Nouveau modèle…")), "nouveau_message")
        self.btn_msg_edit = named(QPushButton(self.tr("Modifier…")), "modifier_message")
        self.btn_msg_del = named(QPushButton(self.tr("Retirer")), "retirer_message")
        for b in (self.btn_msg_new, self.btn_msg_edit, self.btn_msg_del):
            row.addWidget(b)
        row.addStretch(1)
        bl.addLayout(row)
        split.addWidget(bottom)
        annex = QWidget()
        al = QVBoxLayout(annex)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(
            QLabel(
                self.tr(
                    "Annexes du classeur : plans du site, circuits des patients (images PNG ou JPEG, une page chacune)"
                )
            )
        )
        self.annexes = _table([self.tr("Fichier"), self.tr("Taille")], "annexes")
        al.addWidget(self.annexes, 1)
        row = QHBoxLayout()
        self.btn_annexe = named(QPushButton(self.tr("Ajouter une image…")), "ajouter_annexe")
        self.btn_annexe_del = named(QPushButton(self.tr("Retirer")), "retirer_annexe")
        row.addWidget(self.btn_annexe)
        row.addWidget(self.btn_annexe_del)
        row.addStretch(1)
        al.addLayout(row)
        split.addWidget(annex)
        lay.addWidget(split)
        self.btn_annexe.clicked.connect(self.add_annex)
        self.btn_annexe_del.clicked.connect(self.remove_annex)
        self.btn_res_new.clicked.connect(lambda: self.edit_ressource(None))
        self.btn_res_edit.clicked.connect(lambda: self.edit_ressource(self._selected(self.ressources)))
        self.ressources.doubleClicked.connect(lambda _i: self.edit_ressource(self._selected(self.ressources)))
        self.btn_res_del.clicked.connect(lambda: self._remove(self.ressources, crise.delete_ressource))
        self.btn_msg_new.clicked.connect(lambda: self.edit_message(None))
        self.btn_msg_edit.clicked.connect(lambda: self.edit_message(self._selected(self.messages)))
        self.messages.doubleClicked.connect(lambda _i: self.edit_message(self._selected(self.messages)))
        self.btn_msg_del.clicked.connect(lambda: self._remove(self.messages, crise.delete_message))

    def set_plan(self, plan: v.PlanV | None) -> None:
        self.plan = plan
        res = plan.ressources if plan else ()
        self._fill(self.ressources, [(r.id, [rules.libelle(rules.TYPES_RESSOURCE, r.type_ressource), r.libelle, r.service,
                                             f"{r.quantite if r.quantite is not None else ''} {r.unite}".strip(), r.localisation]) for r in res])  # fmt: skip
        annexes = crise.annexes(self.ctx.db, plan.id) if plan else []
        self._fill(
            self.annexes,
            [(a.lien_id, [a.nom, f"{a.taille / 1024:.0f} Ko".replace(".", ",")]) for a in annexes],
        )
        msgs = plan.messages if plan else ()
        self._fill(
            self.messages,
            [(m.id, [m.titre, m.destinataire, m.canal, m.texte.replace("\n", " ")]) for m in msgs],
        )

    def _fill(self, table: QTableWidget, rows: list[tuple[int, list[str]]]) -> None:
        table.setRowCount(len(rows))
        for i, (ident, cells) in enumerate(rows):
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(ROLE, ident)
                table.setItem(i, j, it)

    def _selected(self, table: QTableWidget) -> int | None:
        row = selected_row(table)
        return None if row is None else int(cell_data(table, row))

    def _remove(self, table: QTableWidget, service) -> None:  # type: ignore[no-untyped-def]
        ident = self._selected(table)
        if ident is None:
            return
        answer = QMessageBox.question(self, self.tr("Retirer"), self.tr("Retirer cette ligne du plan ?"))
        if answer == QMessageBox.StandardButton.Yes:
            run_write(self.ctx, self, service, self.ctx.db, ident)

    def remove_annex(self) -> None:
        self._remove(self.annexes, crise.retirer_annexe)
        self.set_plan(self.plan)

    def add_annex(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from qualite_app.errors import UserError
        from qualite_app.gui.operations import show_error

        if self.plan is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Plan du site ou circuit des patients"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if not path:
            return
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            show_error(self, UserError(f"Impossible de lire « {path} » : {exc.strerror}"))
            return
        run_write(self.ctx, self, crise.ajouter_annexe, self.ctx.db, self.plan.id, content, Path(path).name)
        self.set_plan(self.plan)  # a link and a file: tables of the shared floor, not announced as « crise »

    def edit_ressource(self, ident: int | None) -> None:
        if self.plan is None:
            return
        r = next((x for x in self.plan.ressources if x.id == ident), None)
        from qualite_app.etablissement.identite import choix_services

        services = [(self.tr("— aucun —"), None)] + [(nom, sid) for sid, nom in choix_services(self.ctx.db)]
        self.dialog = Formulaire(self, self.tr("Ressource"), [
            ("type_ressource", self.tr("Type"), r.type_ressource if r else "lits", False),
            ("libelle", self.tr("Ressource"), r.libelle if r else "", False),
            ("service_id", self.tr("Service"), str(r.service_id) if r and r.service_id else "", False),
            ("quantite", self.tr("Quantité"), "" if r is None or r.quantite is None else str(r.quantite), False),
            ("unite", self.tr("Unité"), r.unite if r else "", False),
            ("localisation", self.tr("Localisation"), r.localisation if r else "", False),
            ("notes", self.tr("Notes"), r.notes if r else "", True)],
            {"type_ressource": [(label, code) for code, label in rules.TYPES_RESSOURCE.items()],
             "service_id": services})  # fmt: skip
        if not self.dialog.exec():
            return
        x = self.dialog.values()
        q = x["quantite"].strip()
        if q and not q.isdigit():
            from qualite_app.errors import ValidationError
            from qualite_app.gui.operations import show_error

            show_error(
                self, ValidationError({"quantite": f"Quantité « {q} » : un nombre entier est attendu."})
            )
            return
        data = crise.RessourceData(
            x["libelle"],
            x["type_ressource"],
            x["service_id"],
            int(q) if q else None,
            x["unite"],
            x["localisation"],
            x["notes"],
            **(self.plan.edition(r) if r else {}),  # the version read with the plan (optimistic locking)
        )
        run_write(self.ctx, self, crise.save_ressource, self.ctx.db, self.plan.id, data, ident,
                  recharger=self._recharger)  # fmt: skip

    def edit_message(self, ident: int | None) -> None:
        if self.plan is None:
            return
        m = next((x for x in self.plan.messages if x.id == ident), None)
        self.dialog = Formulaire(self, self.tr("Modèle de message"), [
            ("titre", self.tr("Titre"), m.titre if m else "", False), ("destinataire", self.tr("Destinataire"), m.destinataire if m else "", False),
            ("canal", self.tr("Canal"), m.canal if m else "", False), ("texte", self.tr("Texte"), m.texte if m else "", True)])  # fmt: skip
        if self.dialog.exec():
            x = self.dialog.values()
            run_write(
                self.ctx,
                self,
                crise.save_message,
                self.ctx.db,
                self.plan.id,
                x["titre"],
                x["texte"],
                x["destinataire"],
                x["canal"],
                ident,
                **(self.plan.edition(m) if m else {}),
                recharger=self._recharger,
            )

    def _recharger(self) -> None:
        """Discard the user's changes (someone else saved the line meanwhile): the plan as the base holds it."""
        if self.plan is not None:
            self.set_plan(crise.contenu(self.ctx.db, self.plan.id))
