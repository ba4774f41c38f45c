"""The PAQSS area: summary strip, tree (programme › axes › objectifs), filtered action list, timeline."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.etablissement import annuaire
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import show_error
from qualite_app.gui.pages import Page
from qualite_app.gui.paqss.model import COLUMNS, ActionTableModel
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss

STRIP_STYLE = "QLabel { background:#EEF3F8; border-radius:4px; padding:4px 10px; }"
LATE_STYLE = (
    "QLabel { background:#FDECEA; color:#B71C1C; border-radius:4px; padding:4px 10px; font-weight:600; }"
)


class PaqssPage(Page):
    listens_to = frozenset({"paqss", "annuaire", "etablissement"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editor: Any = None
        self.import_dialog: Any = None
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)

        # summary strip
        strip = QHBoxLayout()
        self.strip_labels: dict[str, QLabel] = {}
        for code, label in rules.STATUTS.items():
            lab = QLabel()
            lab.setStyleSheet(STRIP_STYLE)
            lab.setToolTip(self.tr("Afficher les actions « %1 »").replace("%1", label))
            self.strip_labels[code] = lab
            strip.addWidget(lab)
        self.strip_retard = QLabel()
        self.strip_retard.setStyleSheet(LATE_STYLE)
        self.strip_mois = QLabel()
        self.strip_mois.setStyleSheet(STRIP_STYLE)
        self.strip_taux = QLabel()
        self.strip_taux.setStyleSheet(STRIP_STYLE)
        for w in (self.strip_retard, self.strip_mois, self.strip_taux):
            strip.addWidget(w)
        strip.addStretch(1)
        outer.addLayout(strip)

        # toolbar
        bar = QHBoxLayout()
        self.btn_new = QPushButton(self.tr("Nouvelle action"))
        self.btn_new.clicked.connect(self.new_action)
        self.btn_edit = QPushButton(self.tr("Modifier"))
        self.btn_edit.clicked.connect(self.edit_current)
        self.btn_delete = QPushButton(self.tr("Supprimer"))
        self.btn_delete.clicked.connect(self.delete_selected)
        self.btn_status = QPushButton(self.tr("Changer le statut…"))
        self.btn_status.clicked.connect(self.bulk_status)
        self.btn_pilot = QPushButton(self.tr("Changer le pilote…"))
        self.btn_pilot.clicked.connect(self.bulk_pilot)
        self.btn_due = QPushButton(self.tr("Réviser l'échéance…"))
        self.btn_due.clicked.connect(self.bulk_due)
        self.btn_import = QPushButton(self.tr("Importer…"))
        self.btn_import.clicked.connect(self.import_file)
        self.btn_export = QToolButton()
        self.btn_export.setText(self.tr("Exporter"))
        self.btn_export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.btn_export)
        menu.addAction(self.tr("Liste filtrée (.xlsx)…"), lambda: self.export("xlsx"))
        menu.addAction(
            self.tr("Programme, une feuille par axe (.xlsx)…"),
            lambda: self.export("xlsx", par_axe=True, tout=True),
        )
        menu.addAction(self.tr("Liste filtrée (.csv)…"), lambda: self.export("csv"))
        menu.addAction(self.tr("Échéances pour l'agenda (.ics)…"), lambda: self.export("ics"))
        self.btn_export.setMenu(menu)
        self.export_menu = menu
        self.btn_report = QPushButton(self.tr("Bilan du PAQSS…"))
        self.btn_report.clicked.connect(self.report)
        for b in (
            self.btn_new,
            self.btn_edit,
            self.btn_delete,
            self.btn_status,
            self.btn_pilot,
            self.btn_due,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        for b in (self.btn_import, self.btn_export, self.btn_report):
            bar.addWidget(b)
        outer.addLayout(bar)

        # filters
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Rechercher (référence, intitulé, pilote…)"))
        self.search.setClearButtonEnabled(True)
        self.f_statut = self._combo(
            self.tr("Tous statuts"), list(rules.STATUTS.items()) + [("ouvertes", self.tr("Non clôturées"))]
        )
        self.f_pilote = self._combo(self.tr("Tous pilotes"), [])
        self.f_service = self._combo(self.tr("Tous services"), [])
        self.f_source = self._combo(self.tr("Toutes sources"), list(rules.SOURCES.items()))
        self.f_priorite = self._combo(self.tr("Toutes priorités"), list(rules.PRIORITES.items()))
        self.f_echeance = self._combo(self.tr("Toutes échéances"), list(rules.ECHEANCE_FILTRES.items()))
        self.btn_clear = QPushButton(self.tr("Effacer les filtres"))
        self.btn_clear.clicked.connect(self.clear_filters)
        self.search.setMinimumWidth(240)
        filters.addWidget(self.search, 3)
        for c in self._filter_combos().values():
            c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            c.setMinimumContentsLength(12)
            filters.addWidget(c, 1)
            c.currentIndexChanged.connect(self.apply_filters)
        filters.addWidget(self.btn_clear)
        outer.addLayout(filters)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._debounce.start())

        # tree | tabs(list, timeline)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Programme › axes › objectifs"), self.tr("Nb")])
        self.tree.headerItem().setToolTip(1, self.tr("Nombre d'actions"))
        self.tree.setColumnWidth(0, 230)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self.apply_filters())
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.tree, 1)
        tb = QHBoxLayout()
        self.btn_new_prog = QPushButton(self.tr("+ Programme"))
        self.btn_new_prog.clicked.connect(self.new_programme)
        self.btn_new_axe = QPushButton(self.tr("+ Axe"))
        self.btn_new_axe.clicked.connect(self.new_axe)
        self.btn_new_obj = QPushButton(self.tr("+ Objectif"))
        self.btn_new_obj.clicked.connect(self.new_objectif)
        for b in (self.btn_new_prog, self.btn_new_axe, self.btn_new_obj):
            tb.addWidget(b)
        lv.addLayout(tb)
        split.addWidget(left)
        self.tabs = QTabWidget()
        self.model = ActionTableModel(ctx.db, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(False)
        self.view.setWordWrap(False)
        self.view.doubleClicked.connect(lambda idx: self.edit(self.model.action_id(idx.row())))
        hh = self.view.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(False)
        for i, w in enumerate((140, 360, 200, 90, 60, 150, 150, 160, 95, 70, 160)):
            self.view.setColumnWidth(i, w)
        hh.sectionResized.connect(lambda *_: self._save_state())
        hh.sectionMoved.connect(lambda *_: self._save_state())
        self.count_label = QLabel()
        listw = QWidget()
        ll = QVBoxLayout(listw)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.view, 1)
        ll.addWidget(self.count_label)
        self.tabs.addTab(listw, self.tr("Actions"))
        self.tabs.addTab(self._timeline_tab(), self.tr("Chronologie"))
        self.tabs.currentChanged.connect(lambda i: self.refresh_timeline() if i == 1 else None)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 1000])
        outer.addWidget(split, 1)

        self._restore_state()
        self.reload()

    # --- helpers -------------------------------------------------------------------------
    def _combo(self, first: str, items: list[tuple[Any, str]]) -> QComboBox:
        c = QComboBox()
        c.addItem(first, None)
        for v, t in items:
            c.addItem(t, v)
        return c

    def _timeline_tab(self) -> QWidget:
        from qualite_app.gui.paqss.timeline import GanttChart

        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Échelle :")))
        self.zoom = QComboBox()
        self.zoom.addItem(self.tr("Mois"), "mois")
        self.zoom.addItem(self.tr("Trimestre"), "trimestre")
        self.zoom.currentIndexChanged.connect(lambda _i: self.gantt.set_zoom(self.zoom.currentData()))
        row.addWidget(self.zoom)
        legend = QLabel(
            self.tr("◆ jalon (plein : fait) · barre hachurée rouge : retard · pointillé : échéance initiale")
        )
        legend.setStyleSheet("color:#5B6573")
        row.addWidget(legend)
        row.addStretch(1)
        pdf = QPushButton(self.tr("Enregistrer en PDF…"))
        pdf.clicked.connect(self.timeline_pdf)
        row.addWidget(pdf)
        self.btn_print_timeline = QPushButton(self.tr("Imprimer…"))
        self.btn_print_timeline.clicked.connect(self.timeline_print)
        row.addWidget(self.btn_print_timeline)
        lay.addLayout(row)
        self.gantt = GanttChart()
        self.gantt.action_activated.connect(self.edit)
        scroll = QScrollArea()
        self.gantt_scroll = scroll
        scroll.setWidget(self.gantt)
        scroll.horizontalScrollBar().valueChanged.connect(lambda _v: self.gantt.update())
        scroll.setWidgetResizable(False)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        lay.addWidget(scroll, 1)
        return w

    def _state(self) -> dict[str, Any]:
        st = self.ctx.settings.ui_state.get("paqss")
        return st if isinstance(st, dict) else {}

    def _save_state(self) -> None:
        if self._loading:
            return
        state = {
            "colonnes": bytes(self.view.horizontalHeader().saveState().toBase64().data()).decode("ascii"),
            "filtres": {
                "texte": self.search.text(),
                **{k: c.currentIndex() for k, c in self._filter_combos().items()},
            },
        }
        self.ctx.settings.ui_state["paqss"] = state
        with contextlib.suppress(OSError):
            self.ctx.settings.save()

    def _filter_combos(self) -> dict[str, QComboBox]:
        return {"statut": self.f_statut, "pilote": self.f_pilote, "service": self.f_service, "source": self.f_source,
                "priorite": self.f_priorite, "echeance": self.f_echeance}  # fmt: skip

    def _restore_state(self) -> None:
        st = self._state()
        self._loading = True
        try:
            if st.get("colonnes"):
                self.view.horizontalHeader().restoreState(
                    QByteArray.fromBase64(str(st["colonnes"]).encode("ascii"))
                )
            self._pending_filters = st.get("filtres") or {}
        finally:
            self._loading = False

    # --- reading -------------------------------------------------------------------------
    def reload(self) -> None:
        self._loading = True
        try:
            self._fill_choices()
            self._fill_tree()
            pending = getattr(self, "_pending_filters", None)
            if pending:
                self.search.setText(str(pending.get("texte", "")))
                for k, c in self._filter_combos().items():
                    i = pending.get(k)
                    if isinstance(i, int) and 0 <= i < c.count():
                        c.setCurrentIndex(i)
                self._pending_filters = None
        finally:
            self._loading = False
        self.apply_filters()

    def _fill_choices(self) -> None:
        for combo, items in (
            (self.f_pilote, annuaire.choices(self.ctx.db)),
            (self.f_service, paqss.service_choices(self.ctx.db)),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v, t in items:
                combo.addItem(t.split(" — ")[0], v)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _fill_tree(self) -> None:
        cur = self.tree.currentItem()
        key = cur.data(0, Qt.ItemDataRole.UserRole) if cur else None
        self.tree.blockSignals(True)
        self.tree.clear()
        select = None
        for prog in paqss.tree(self.ctx.db):
            p = QTreeWidgetItem([prog.nom, str(sum(a.n_actions for a in prog.axes))])
            p.setData(0, Qt.ItemDataRole.UserRole, ("programme", prog.id))
            self.tree.addTopLevelItem(p)
            for axe in prog.axes:
                a = QTreeWidgetItem([f"{axe.code} {axe.titre}".strip(), str(axe.n_actions)])
                a.setData(0, Qt.ItemDataRole.UserRole, ("axe", axe.id))
                a.setToolTip(0, axe.titre)
                p.addChild(a)
                for o in axe.objectifs:
                    it = QTreeWidgetItem([f"{o.code} {o.titre}".strip(), str(o.n_actions)])
                    it.setData(0, Qt.ItemDataRole.UserRole, ("objectif", o.id))
                    it.setToolTip(0, o.titre)
                    a.addChild(it)
                    if key == ("objectif", o.id):
                        select = it
                if key == ("axe", axe.id):
                    select = a
            if key == ("programme", prog.id) or (
                select is None and key is None and self.tree.topLevelItemCount() == 1
            ):
                select = p
            p.setExpanded(True)
        if select is not None:
            self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)

    def current_filter(self) -> paqss.ActionFilter:
        f = paqss.ActionFilter(texte=self.search.text())
        item = self.tree.currentItem()
        if item is not None:
            kind, ident = item.data(0, Qt.ItemDataRole.UserRole)
            setattr(f, {"programme": "programme_id", "axe": "axe_id", "objectif": "objectif_id"}[kind], ident)
        st = self.f_statut.currentData()
        if st == "ouvertes":
            f.statuts = frozenset(set(rules.STATUTS) - rules.CLOTURES)
        elif st:
            f.statuts = frozenset({st})
        f.pilote_id = self.f_pilote.currentData()
        f.service_id = self.f_service.currentData()
        f.source = self.f_source.currentData()
        f.priorite = self.f_priorite.currentData()
        f.echeance = self.f_echeance.currentData()
        return f

    def apply_filters(self) -> None:
        if self._loading:
            return
        self._debounce.stop()
        f = self.current_filter()
        self.model.set_filter(f)
        self.count_label.setText(self.tr("%1 action(s)").replace("%1", str(self.model.rowCount())))
        self._refresh_strip(f.programme_id)
        if self.tabs.currentIndex() == 1:
            self.refresh_timeline()
        self._save_state()

    def _refresh_strip(self, programme_id: int | None) -> None:
        if programme_id is None:
            programme_id = paqss.programme_courant(self.ctx.db)
        s = paqss.summary(self.ctx.db, programme_id)
        for code, lab in self.strip_labels.items():
            lab.setText(f"{rules.STATUTS[code]} : <b>{s.par_statut.get(code, 0)}</b>")
        self.strip_retard.setText(self.tr("En retard : %1").replace("%1", str(s.en_retard)))
        self.strip_mois.setText(self.tr("Échéance ce mois-ci : %1").replace("%1", str(s.ce_mois)))
        taux = "—" if s.taux_annee is None else f"{s.taux_annee:.0f} %".replace(".", ",")
        self.strip_taux.setText(
            self.tr("Réalisées (échéances %1) : %2").replace("%1", str(s.annee)).replace("%2", taux)
        )

    def refresh_timeline(self) -> None:
        self.gantt.set_rows(paqss.timeline(self.ctx.db, self.current_filter()), date.today())
        # open on the recent past and what comes next, not on the programme's first month
        bar = self.gantt_scroll.horizontalScrollBar()
        bar.setValue(max(0, int(self.gantt.x_of(date.today()) - self.gantt.LABEL_W - 240)))

    def clear_filters(self) -> None:
        self._loading = True
        self.search.clear()
        for c in self._filter_combos().values():
            c.setCurrentIndex(0)
        self._loading = False
        self.apply_filters()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.action_id(r) for r in rows]

    def select_ids(self, ids: list[int]) -> None:
        sm = self.view.selectionModel()
        sm.clearSelection()
        for r, row in enumerate(self.model.rows):
            if row.id in ids:
                sm.select(
                    self.model.index(r, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )

    # --- structure -----------------------------------------------------------------------
    def _node(self, kind: str) -> int | None:
        """Id of the selected node of ``kind`` or of its ancestor of that kind."""
        item = self.tree.currentItem()
        while item is not None:
            k, ident = item.data(0, Qt.ItemDataRole.UserRole)
            if k == kind:
                return int(ident)
            item = item.parent()
        return None

    def _ask(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def new_programme(self) -> None:
        nom = self._ask(self.tr("Nouveau programme"), self.tr("Nom du programme (ex. PAQSS 2026–2029) :"))
        if nom:
            y = date.today().year
            self._write(paqss.save_programme, self.ctx.db, nom, date(y, 1, 1), date(y + 3, 12, 31))

    def new_axe(self) -> None:
        prog = self._node("programme") or paqss.programme_courant(self.ctx.db)
        if prog is None:
            QMessageBox.information(self, self.tr("PAQSS"), self.tr("Créez d'abord un programme."))
            return
        titre = self._ask(
            self.tr("Nouvel axe"), self.tr("Titre de l'axe (précédé de son code, ex. « A7 Parcours ») :")
        )
        if titre:
            from qualite_app.paqss.echanges import split_code

            code, t = split_code(titre)
            self._write(paqss.save_axe, self.ctx.db, prog, t, code)

    def new_objectif(self) -> None:
        axe = self._node("axe")
        if axe is None:
            QMessageBox.information(
                self, self.tr("PAQSS"), self.tr("Sélectionnez d'abord l'axe dans l'arbre.")
            )
            return
        titre = self._ask(
            self.tr("Nouvel objectif"), self.tr("Titre de l'objectif (ex. « A7.1 Réduire les délais ») :")
        )
        if titre:
            from qualite_app.paqss.echanges import split_code

            code, t = split_code(titre)
            self._write(paqss.save_objectif, self.ctx.db, axe, t, code)

    def rename_node(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        kind, ident = item.data(0, Qt.ItemDataRole.UserRole)
        titre = self._ask(self.tr("Renommer"), self.tr("Nouveau titre :"), item.text(0))
        if not titre:
            return
        from qualite_app.paqss.echanges import split_code

        code, t = split_code(titre)
        if kind == "programme":
            self._write(paqss.rename_programme, self.ctx.db, ident, titre)
        elif kind == "axe":
            self._write(paqss.save_axe, self.ctx.db, 0, t, code, id=ident)
        else:
            self._write(paqss.save_objectif, self.ctx.db, 0, t, code, id=ident)

    def _write(self, fn: Any, *args: Any, **kw: Any) -> None:
        from qualite_app.gui.operations import run_write

        run_write(self.ctx, self, fn, *args, changes=("paqss",), **kw)
        self.reload()

    def _tree_menu(self, pos: Any) -> None:
        m = QMenu(self.tree)
        m.addAction(self.tr("Nouveau programme…"), self.new_programme)
        m.addAction(self.tr("Nouvel axe…"), self.new_axe)
        if self._node("axe") is not None:
            m.addAction(self.tr("Nouvel objectif…"), self.new_objectif)
        if self.tree.currentItem() is not None:
            m.addSeparator()
            m.addAction(self.tr("Renommer…"), self.rename_node)
        m.exec(self.tree.viewport().mapToGlobal(pos))

    # --- actions -------------------------------------------------------------------------
    def new_action(self) -> None:
        item = self.tree.currentItem()
        obj = None
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole)[0] == "objectif":
            obj = item.data(0, Qt.ItemDataRole.UserRole)[1]
        if not paqss.objectif_choices(self.ctx.db):
            QMessageBox.information(
                self,
                self.tr("PAQSS"),
                self.tr("Créez d'abord un programme, un axe et un objectif, ou importez un classeur."),
            )
            return
        self._open_editor(None, obj)

    def edit_current(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.edit(ids[0])

    def edit(self, action_id: int) -> None:
        self._open_editor(action_id, None)

    def _open_editor(self, action_id: int | None, objectif_id: int | None) -> None:
        from qualite_app.gui.paqss.editor import ActionEditor

        try:
            self.editor = ActionEditor(self.ctx, action_id, self, objectif_id=objectif_id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.editor.setWindowModality(Qt.WindowModality.WindowModal)
        self.editor.open()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        refs = [r.reference for r in self.model.rows if r.id in ids]
        text = self.tr(
            "Supprimer définitivement %1 action(s) (%2) avec leurs jalons et commentaires ? La suppression est inscrite au journal."
        )
        text = text.replace("%1", str(len(ids))).replace(
            "%2", ", ".join(refs[:5]) + ("…" if len(refs) > 5 else "")
        )
        if QMessageBox.question(self, self.tr("Supprimer"), text) != QMessageBox.StandardButton.Yes:
            return
        from qualite_app.gui.operations import run_write

        run_write(self.ctx, self, paqss.delete_actions, self.ctx.db, ids, changes=("paqss",))

    def _bulk(self, **kw: Any) -> None:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(
                self, self.tr("PAQSS"), self.tr("Sélectionnez une ou plusieurs actions dans la liste.")
            )
            return
        try:
            try:
                n = paqss.bulk_update(self.ctx.db, ids, **kw)
            except paqss.ConfirmationNecessaire as exc:
                if (
                    QMessageBox.question(self, self.tr("Confirmer"), exc.message)
                    != QMessageBox.StandardButton.Yes
                ):
                    return
                n = paqss.bulk_update(self.ctx.db, ids, confirme=True, **kw)
        except UserError as exc:
            show_error(self, exc)
            return
        self.ctx.bus.announce("paqss")  # the page reloads itself from the bus
        if not self.isVisible():
            self.reload()
        self.select_ids(ids)
        self.count_label.setText(
            self.count_label.text() + " — " + self.tr("%1 action(s) modifiée(s)").replace("%1", str(n))
        )

    def bulk_status(self) -> None:
        if not self.selected_ids():
            self._bulk()
            return
        labels = list(rules.STATUTS.values())
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Changer le statut"),
            self.tr("Nouveau statut des actions sélectionnées :"),
            labels,
            1,
            False,
        )
        if not ok:
            return
        code = next(k for k, v in rules.STATUTS.items() if v == choice)
        motif = None
        if code in rules.AVEC_MOTIF:
            motif, ok = QInputDialog.getText(
                self, self.tr("Motif"), self.tr("Motif (obligatoire pour « %1 ») :").replace("%1", choice)
            )
            if not ok:
                return
        self._bulk(statut=code, motif=motif)

    def bulk_pilot(self) -> None:
        if not self.selected_ids():
            self._bulk()
            return
        people = annuaire.choices(self.ctx.db)
        labels = [self.tr("(aucun pilote)")] + [t for _, t in people]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Changer le pilote"), self.tr("Nouveau pilote :"), labels, 0, False
        )
        if not ok:
            return
        pid = next((i for i, t in people if t == choice), None)
        self._bulk(pilote_id=pid)

    def bulk_due(self) -> None:
        if not self.selected_ids():
            self._bulk()
            return
        from qualite_app.paqss.xlsx import parse_date

        text, ok = QInputDialog.getText(
            self,
            self.tr("Réviser l'échéance"),
            self.tr("Échéance révisée (jj/mm/aaaa ; vide pour l'effacer) :"),
        )
        if not ok:
            return
        try:
            when = parse_date(text)
        except ValueError as exc:
            show_error(self, UserError(str(exc)))
            return
        self._bulk(echeance_revisee=when)

    # --- files ---------------------------------------------------------------------------
    def import_file(self) -> None:
        from qualite_app.gui.paqss.import_dialog import ImportDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Importer un PAQSS"), "", self.tr("Classeurs (*.xlsx *.csv)")
        )
        if not path:
            return
        try:
            self.import_dialog = ImportDialog(self.ctx, Path(path), self)
        except UserError as exc:
            show_error(self, exc)
            return
        self.import_dialog.accepted.connect(self._imported)
        self.import_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.import_dialog.open()

    def _imported(self) -> None:
        res = self.import_dialog.result if self.import_dialog else None
        self.reload()
        if res is not None:
            QMessageBox.information(
                self,
                self.tr("Import terminé"),
                self.tr("%1 action(s) créée(s), %2 mise(s) à jour, %3 personne(s) ajoutée(s) à l'annuaire.")
                .replace("%1", str(res.creees))
                .replace("%2", str(res.mises_a_jour))
                .replace("%3", str(res.personnes_creees)),
            )

    def export(self, fmt: str, *, par_axe: bool = False, tout: bool = False) -> None:
        from qualite_app.paqss import echanges as ex

        filters = {"xlsx": "Classeur Excel (*.xlsx)", "csv": "CSV (*.csv)", "ics": "Agenda iCalendar (*.ics)"}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Exporter"), f"paqss.{fmt}", filters[fmt])
        if not path:
            return
        f = (
            paqss.ActionFilter(programme_id=paqss.programme_courant(self.ctx.db))
            if tout
            else self.current_filter()
        )
        try:
            n = ex.export(self.ctx.db, fmt, Path(path), f, par_axe=par_axe)
        except UserError as exc:
            show_error(self, exc)
            return
        self.count_label.setText(
            self.tr("%1 élément(s) exporté(s) dans %2").replace("%1", str(n)).replace("%2", path)
        )

    def report(self) -> None:
        from qualite_app.gui.paqss.bilan_dialog import BilanDialog

        pid = self.current_filter().programme_id or paqss.programme_courant(self.ctx.db)
        if pid is None:
            QMessageBox.information(self, self.tr("PAQSS"), self.tr("Aucun programme PAQSS."))
            return
        self.bilan_dialog = BilanDialog(self.ctx, pid, self)
        self.bilan_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.bilan_dialog.open()

    def timeline_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Chronologie du PAQSS"), "chronologie-paqss.pdf", "PDF (*.pdf)"
        )
        if not path:
            return
        self.refresh_timeline()
        self.gantt.save_pdf(
            Path(path), self.tr("Chronologie du PAQSS — %1").replace("%1", date.today().strftime("%d/%m/%Y"))
        )

    def timeline_print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.tr("Chronologie du PAQSS"))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.refresh_timeline()
        self.gantt.render_pages(
            printer, self.tr("Chronologie du PAQSS — %1").replace("%1", date.today().strftime("%d/%m/%Y"))
        )

    # --- screenshots (tools/screenshots.py) ---------------------------------------------
    def screenshot_states(self) -> Any:
        """The editor, the overdue list, the timeline and the import preview, for tools/screenshots.py."""
        import tempfile

        late = paqss.list_actions(self.ctx.db, paqss.ActionFilter(echeance="en_retard"))

        def editor() -> Any:
            self.edit(late[0].id if late else self.model.action_id(0))
            self.editor.resize(900, 720)
            return self.editor

        def overdue() -> Any:
            self.editor.close()
            self.f_echeance.setCurrentIndex(self.f_echeance.findData("en_retard"))
            return None

        def timeline() -> Any:
            self.clear_filters()
            self.tabs.setCurrentIndex(1)
            return None

        def import_preview() -> Any:
            from qualite_app.gui.paqss.import_dialog import ImportDialog
            from qualite_app.paqss import echanges as ex

            self.tabs.setCurrentIndex(0)
            f = Path(tempfile.mkdtemp(prefix="paqss-capture-")) / "paqss.xlsx"
            ex.export(
                self.ctx.db, "xlsx", f, paqss.ActionFilter(axe_id=paqss.tree(self.ctx.db)[0].axes[0].id)
            )
            self.import_dialog = ImportDialog(self.ctx, f, self)
            self.import_dialog.show()
            self.import_dialog.make_preview()
            return self.import_dialog

        yield "editeur", editor
        yield "en-retard", overdue
        yield "chronologie", timeline
        yield "import-apercu", import_preview


__all__ = ["COLUMNS", "PaqssPage"]
