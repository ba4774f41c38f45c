"""The self-assessment tab: the référentiel tree (with satisfaction), the answer grid typed from the keyboard,
filters, and the evidence of the selected criterion (files dropped on it are attached after a preview)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.certification import campagnes, referentiels, rules, scores
from qualite_app.gui.certification.model import GrilleModel
from qualite_app.gui.certification.preuves_critere import CriterionEvidence
from qualite_app.gui.certification.seances import SessionBar
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import run_write
from qualite_app.gui.widgets.common import named, tab_parent

NODE_ROLE = Qt.ItemDataRole.UserRole


class GrilleView(QTableView):
    """C, P, N, A answer the selected rows; Suppr clears them."""

    answer = Signal(str)
    clear = Signal()
    edit_requested = Signal()

    def keyPressEvent(self, e: Any) -> None:  # noqa: N802
        key = e.text().lower()
        if key in rules.TOUCHES and not e.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.answer.emit(rules.TOUCHES[key])
            return
        if e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear.emit()
            return
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit()
            return
        super().keyPressEvent(e)


class AutoevalView(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campagne_id: int | None = None
        self.referentiel_id: int | None = None
        self.critere_id: int | None = None
        #: the row to select after the next redraw (the one after the row just answered)
        self._focus_id: int | None = None
        #: the dialog open, if any (tests fill it in)
        self.last_dialog: QDialog | None = None
        # containers put in place before they are filled (built top-down, each widget is styled once)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        lay.addWidget(split)
        self.tree = named(QTreeWidget(), "arbre_referentiel")
        self.tree.setMinimumWidth(260)  # the objectives beside the grid (the element's title needs room too)
        self.tree.setHeaderLabels([self.tr("Référentiel"), self.tr("Satisfaction")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._node_selected)
        split.addWidget(self.tree)
        right = QWidget()
        split.addWidget(right)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(self._filters())
        self.seances = SessionBar(ctx, right)
        self.seances.changed.connect(self.apply_filters)
        rl.addWidget(self.seances)
        #: the grid above, the criterion's evidence and links below: the user moves the boundary
        self.split_bas = QSplitter(Qt.Orientation.Vertical)
        rl.addWidget(self.split_bas, 1)
        grid = QWidget()
        self.split_bas.addWidget(grid)
        self.model = GrilleModel(ctx.db, self)
        self.view = named(GrilleView(), "grille")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # fixed columns kept narrow enough that the element's title (stretched) stays readable at 1440 px
        for col, width in enumerate((96, 0, 76, 0, 0, 168, 120, 136, 84, 72)):
            if width:
                self.view.setColumnWidth(col, width)
        # method and target are in the filters above and in each row's tooltip: room for the title
        self.view.setColumnHidden(3, True)
        self.view.setColumnHidden(4, True)
        self.view.verticalHeader().hide()
        self.view.answer.connect(self.answer_selected)
        self.view.clear.connect(lambda: self.answer_selected(None))
        self.view.edit_requested.connect(self.edit_answer)
        self.view.doubleClicked.connect(lambda *_: self.edit_answer())
        gl = QVBoxLayout(grid)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addWidget(self.view, 1)
        bar = QHBoxLayout()
        self.action_btn = named(QPushButton(self.tr("Créer une action PAQSS")), "action_paqss")
        self.action_btn.setToolTip(
            self.tr("Une action PAQSS (source : certification) liée au critère de la ligne choisie")
        )
        self.action_btn.clicked.connect(self.make_action)
        self.hint = QLabel(
            self.tr(
                "Touches : C conforme · P partiellement · N non conforme · A non applicable · Suppr efface · Entrée : commentaire, évaluateur…"
            )
        )
        self.hint.setObjectName("pageSubtitle")
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.action_btn)
        gl.addLayout(bar)
        self.bas = named(QTabWidget(), "critere_onglets")
        self.split_bas.addWidget(self.bas)
        self.evidence = CriterionEvidence(ctx, tab_parent(self.bas))
        self.evidence.changed.connect(self.changed.emit)
        #: the evidence list of the selected criterion (files dropped on it are attached)
        self.preuves = self.evidence.liste
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        from qualite_app.gui.widgets.liens import LiensPanel

        #: the criterion's chain: the actions, indicators and reports that prove it, the actions it gave rise to
        self.liens = LiensPanel(ctx, tab_parent(self.bas), titre=self.tr("Liens du critère"))
        self.bas.addTab(self.evidence, self.tr("Preuves"))
        self.bas.addTab(self.liens, self.tr("Liens"))
        self.liens.counted.connect(lambda n: self.bas.setTabText(1, self.tr("Liens (%1)").replace("%1", str(n))))
        self.evidence.link_requested.connect(self._link_from_evidence)
        self.split_bas.setStretchFactor(0, 3)
        self.split_bas.setStretchFactor(1, 2)
        split.setSizes([270, 1230])

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.f_niveau = named(QComboBox(), "filtre_niveau")
        self.f_niveau.addItem(self.tr("Tous niveaux"), None)
        for k, v in rules.NIVEAUX.items():
            self.f_niveau.addItem(v, k)
        self.f_methode = named(QComboBox(), "filtre_methode")
        self.f_methode.addItem(self.tr("Toutes méthodes"), None)
        for k, v in rules.METHODES.items():
            self.f_methode.addItem(v, k)
        self.f_cible = named(QComboBox(), "filtre_cible")
        self.f_cible.addItem(self.tr("Toutes cibles"), None)
        for k, v in rules.CIBLES.items():
            self.f_cible.addItem(v, k)
        self.f_etat = named(QComboBox(), "filtre_etat")
        for lab, val in (
            (self.tr("Répondus ou non"), None),
            (self.tr("Sans réponse"), False),
            (self.tr("Répondus"), True),
        ):
            self.f_etat.addItem(lab, val)
        self.f_preuve = named(QComboBox(), "filtre_preuve")
        for lab, val in (
            (self.tr("Avec ou sans preuve"), None),
            (self.tr("Sans preuve"), False),
            (self.tr("Avec preuve"), True),
        ):
            self.f_preuve.addItem(lab, val)
        self.f_texte = named(QLineEdit(), "filtre_texte")
        self.f_texte.setPlaceholderText(self.tr("Rechercher…"))
        for w in (self.f_niveau, self.f_methode, self.f_cible, self.f_etat):
            w.currentIndexChanged.connect(self.apply_filters)
            row.addWidget(w)
        self.f_preuve.currentIndexChanged.connect(self.apply_filters)
        self.f_texte.textChanged.connect(self.apply_filters)
        row.addWidget(self.f_preuve)
        row.addWidget(self.f_texte, 1)
        return row

    # --- loading --------------------------------------------------------------------------------
    def load(self, campagne_id: int | None, referentiel_id: int | None, syn: scores.Synthese | None) -> None:
        self.campagne_id, self.referentiel_id = campagne_id, referentiel_id
        self.model.campagne_id = campagne_id
        self._fill_tree(syn)
        self.seances.fill(campagne_id)
        self.apply_filters()
        self.evidence.show_for(self.critere_id)
        self._show_links()

    def _fill_tree(self, syn: scores.Synthese | None) -> None:
        cur = self.tree.currentItem()
        current = cur.data(0, NODE_ROLE) if cur is not None else None
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        sat = syn.par_noeud if syn else {}
        unmet = {c.id for c in syn.imperatifs_non_atteints} if syn else set()
        if self.referentiel_id is not None:
            for n in referentiels.noeuds(self.ctx.db, self.referentiel_id):
                if n.type == "element":
                    continue
                parent = items.get(n.parent_id) if n.parent_id else None
                label = f"{n.ref} {n.titre}".strip()
                if n.niveau == rules.IMPERATIF:
                    label += " ⚠" if n.id in unmet else " ●"
                pct = sat.get(n.id)
                it = QTreeWidgetItem([label, "" if pct is None else f"{pct:.0f} %".replace(".", ",")])
                it.setData(0, NODE_ROLE, (n.id, n.type, n.ref))
                it.setToolTip(0, label)
                if n.retire:
                    it.setText(0, label + self.tr(" (retiré)"))
                    it.setForeground(0, Qt.GlobalColor.gray)
                    it.setToolTip(
                        0,
                        self.tr(
                            "Retiré du référentiel par sa dernière version ; son historique est conservé"
                        ),
                    )
                elif n.id in unmet:
                    it.setForeground(0, Qt.GlobalColor.red)
                    it.setToolTip(0, self.tr("Impératif non atteint"))
                (parent.addChild(it) if parent is not None else self.tree.addTopLevelItem(it))
                items[n.id] = it
                if current and current[0] == n.id:
                    self.tree.setCurrentItem(it)
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is not None:
                top.setExpanded(True)
        self.tree.blockSignals(False)

    def _node_selected(self, item: QTreeWidgetItem | None, _prev: Any = None) -> None:
        self.critere_id = None
        self.apply_filters()
        self.evidence.show_for(self.critere_id)
        self._show_links()

    def _link_from_evidence(self) -> None:
        self.bas.setCurrentWidget(self.liens)
        self.liens.link()

    def _show_links(self) -> None:
        it = self.tree.currentItem()
        ref = it.data(0, NODE_ROLE)[2] if it is not None and self.critere_id is not None else ""
        self.liens.show_for("certif_noeud" if self.critere_id else None, self.critere_id, self.tr("le critère %1").replace("%1", ref))

    def select_node(self, noeud_id: int) -> bool:
        """The node selected in the tree (from the search or a *Liens* panel); False when the référentiel
        shown does not hold it."""
        found = self.tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
        item = next((it for it in found if it.data(0, NODE_ROLE)[0] == noeud_id), None)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def _tree_filter(self) -> dict[str, Any]:
        it = self.tree.currentItem()
        if it is None:
            return {}
        nid, typ, ref = it.data(0, NODE_ROLE)
        if typ in ("critere", "exigence"):
            self.critere_id = nid
            return {"critere_id": nid}
        if typ == "objectif":
            return {"objectif": ref}
        return {"chapitre": ref} if it.parent() is None else {}

    def apply_filters(self, *_: Any) -> None:
        etat = self.f_etat.currentData()
        self.model.filtre = campagnes.GrilleFiltre(
            niveau=self.f_niveau.currentData(), methode=self.f_methode.currentData(), cible=self.f_cible.currentData(),
            repondu=etat, avec_preuve=self.f_preuve.currentData(), texte=self.f_texte.text(),
            session_id=self.seances.filter_id(),
            **self._tree_filter(),
        )  # fmt: skip
        keep = self._focus_id if self._focus_id is not None else next(iter(self.selected_ids()), None)
        self.model.refresh()
        self._focus_id = None
        row = next((i for i, r in enumerate(self.model.rows) if r.noeud_id == keep), None)
        if row is not None:
            self.view.selectRow(row)

    # --- actions ----------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r].noeud_id for r in rows if r < len(self.model.rows)]

    def answer_selected(self, valeur: str | None) -> None:
        ids = self.selected_ids()
        if not ids or self.campagne_id is None:
            return
        motif = None
        if valeur == rules.NA:
            motif, ok = QInputDialog.getText(
                self, self.tr("Non applicable"), self.tr("Motif de non-applicabilité :")
            )
            if not ok:
                return
        x = self.seances.current()
        rep = (
            campagnes.Reponse(valeur, motif_na=motif, session_id=x.id if x else None, methode=x.methode if x else None,
                              date=x.date if x else None)
            if valeur else None
        )  # fmt: skip
        row = self.view.currentIndex().row()
        nxt = min(row + 1, self.model.rowCount() - 1) if len(ids) == 1 else row
        self._focus_id = self.model.rows[nxt].noeud_id if 0 <= nxt < len(self.model.rows) else None
        if run_write(self.ctx, self, campagnes.repondre, self.ctx.db, self.campagne_id, ids, rep) is not None:
            self.changed.emit()
            if self._focus_id is not None:  # the grid redraws when the change comes back: keep the next row
                self.view.selectRow(nxt)

    def edit_answer(self) -> None:
        """The whole answer (comment, evaluator, date, method) in a dialog."""
        from qualite_app.etablissement import annuaire
        from qualite_app.gui.certification.reponse import ReponseDialog

        row = self.view.currentIndex().row()
        if self.campagne_id is None or not 0 <= row < len(self.model.rows):
            return
        r = self.model.rows[row]
        people = [(p.id, f"{p.prenom} {p.nom}".strip()) for p in annuaire.list_personnes(self.ctx.db)]
        current = next(
            (pid for pid, nom in people if nom and nom.lower() in (r.evaluateur or "").lower()), None
        )
        dlg = ReponseDialog(r, people, current, self)
        self.last_dialog = dlg
        if dlg.exec() != ReponseDialog.DialogCode.Accepted:
            return
        x = self.seances.current()
        self._focus_id = r.noeud_id
        if (
            run_write(
                self.ctx,
                self,
                campagnes.repondre,
                self.ctx.db,
                self.campagne_id,
                r.noeud_id,
                dlg.reponse(x.id if x else None),
                recharger=self.apply_filters,  # discarded: the grid shows the answers as they are now
            )
            is not None
        ):
            self.changed.emit()

    def make_action(self) -> None:
        ids = self.selected_ids()
        if not ids or self.campagne_id is None:
            QMessageBox.information(
                self, self.tr("Action PAQSS"), self.tr("Choisissez d'abord une ligne de la grille.")
            )
            return
        aid = run_write(
            self.ctx, self, scores.action_pour_non_conformite, self.ctx.db, self.campagne_id, ids[0]
        )
        if aid is not None:
            QMessageBox.information(
                self, self.tr("Action PAQSS"), self.tr("L'action PAQSS a été créée et liée au critère.")
            )

    # --- context menus --------------------------------------------------------------------------------
    def _tree_menu(self, pos: Any) -> None:
        it = self.tree.itemAt(pos)
        if it is None or it.data(0, NODE_ROLE)[1] != "critere":
            return
        menu = QMenu(self)
        act = menu.addAction(self.tr("Changer le niveau…"))
        if menu.exec(self.tree.viewport().mapToGlobal(pos)) is act:
            self.change_level(it.data(0, NODE_ROLE)[0])

    def change_level(self, noeud_id: int) -> None:
        """The director reclassifies a criterion; a later version of the référentiel keeps the choice."""
        labels = list(rules.NIVEAUX.values())
        choice, ok = QInputDialog.getItem(
            self, self.tr("Niveau du critère"), self.tr("Niveau :"), labels, 0, False
        )
        if ok:
            code = list(rules.NIVEAUX)[labels.index(choice)]
            run_write(self.ctx, self, referentiels.changer_niveau, self.ctx.db, noeud_id, code)
