"""The PAQSS area: summary strip, toolbar, filters, tree (programme › axes › objectifs), action list, timeline.

The page assembles the pieces and keeps them in step; each concern lives in its own module:
filters.py (the filters bar), structure.py (the tree and its writes), model.py (the list),
timeline.py (the Gantt tab), bulk.py (what is done to the selected actions), files.py (import,
export, bilan), editor.py (one action).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qualite_app.errors import UserError
from qualite_app.etablissement import annuaire
from qualite_app.gui.context import AppContext
from qualite_app.gui.operations import show_error
from qualite_app.gui.pages import Page, au_repos, lu
from qualite_app.gui.paqss import bulk, files
from qualite_app.gui.paqss.filters import FilterBar
from qualite_app.gui.paqss.model import COLUMNS, ActionTableModel
from qualite_app.gui.paqss.structure import StructureTree
from qualite_app.gui.paqss.timeline import TimelineTab
from qualite_app.gui.widgets.common import tab_parent
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss

STRIP_STYLE = "QLabel { background:#EEF3F8; border-radius:4px; padding:4px 10px; }"
LATE_STYLE = (
    "QLabel { background:#FDECEA; color:#B71C1C; border-radius:4px; padding:4px 10px; font-weight:600; }"
)

if TYPE_CHECKING:
    from qualite_app.socle.base import Database
COLUMN_WIDTHS = (140, 360, 200, 90, 60, 150, 150, 160, 95, 70, 160)


class PaqssPage(Page):
    listens_to = frozenset({"paqss", "annuaire", "etablissement"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editor: Any = None
        self.import_dialog: Any = None
        self.bilan_dialog: Any = None
        self._loading = False
        self._pending_filters: dict[str, Any] | None = None
        #: what the last write from this page did (« 3 action(s) modifiée(s) »), shown once beside the
        #: count, when the page redraws from that write's ChangeSet
        self.notice = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(self._build_strip())
        outer.addLayout(self._build_toolbar())
        self.filters = FilterBar(self)
        self.filters.changed.connect(self.apply_filters)
        self.filters.btn_clear.clicked.connect(self.clear_filters)
        outer.addWidget(self.filters)

        # tree | tabs(list, timeline). Containers are put in place before they are filled: a widget moved
        # into the window restyles its whole subtree (the application's style sheet), so built top-down
        # each widget is styled once — on the scale base the page's first display is ≈ 30 ms shorter
        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split, 1)
        self.structure = StructureTree(ctx, split)
        self.tree = self.structure.tree
        self.structure.selection_changed.connect(self.apply_filters)
        split.addWidget(self.structure)
        self.tabs = QTabWidget()
        split.addWidget(self.tabs)
        self.model = ActionTableModel(ctx.db, self)
        self._kept: list[int] = []
        self.model.modelAboutToBeReset.connect(lambda: setattr(self, "_kept", self.selected_ids()))
        self.model.on_sorted = lambda: self.select_ids(self._kept, reach=True) if self._kept else None
        listw = QWidget(tab_parent(self.tabs))
        self.tabs.addTab(listw, self.tr("Actions"))
        self.view = self._build_view()
        self.count_label = QLabel()
        ll = QVBoxLayout(listw)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.view, 1)
        ll.addWidget(self.count_label)
        self.timeline = TimelineTab(self.refresh_timeline, tab_parent(self.tabs))
        self.timeline.gantt.action_activated.connect(self.edit)
        self.tabs.addTab(self.timeline, self.tr("Chronologie"))
        self.tabs.currentChanged.connect(lambda i: self.refresh_timeline() if i == 1 else None)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 1000])

        self._restore_state()
        self.reload()

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        from datetime import date

        from qualite_app.gui.paqss.model import PAGE, ActionTableModel
        from qualite_app.paqss.services import liste

        au_repos(db, annuaire.choices)
        au_repos(db, paqss.service_choices)
        progs = au_repos(db, paqss.tree)
        # kept for the first display (``lu``): the same calls, with the arguments it makes without filters
        f = paqss.ActionFilter(programme_id=progs[0].id if len(progs) == 1 else None)
        tri, today = ActionTableModel.TRI, date.today()
        if len(au_repos(db, liste.action_rows, f, tri=tri, decroissant=False, today=today, limit=PAGE, offset=0)) == PAGE:
            au_repos(db, liste.count_actions, f, today=today)
        au_repos(db, paqss.summary, f.programme_id if f.programme_id is not None else paqss.programme_courant(db))

    # --- building ------------------------------------------------------------------------
    def _build_strip(self) -> QHBoxLayout:
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
        return strip

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.btn_new = QPushButton(self.tr("Nouvelle action"))
        self.btn_new.clicked.connect(self.new_action)
        self.btn_edit = QPushButton(self.tr("Modifier"))
        self.btn_edit.clicked.connect(self.edit_current)
        self.btn_delete = QPushButton(self.tr("Supprimer"))
        self.btn_delete.clicked.connect(partial(bulk.delete_selected, self))
        self.btn_status = QPushButton(self.tr("Changer le statut…"))
        self.btn_status.clicked.connect(partial(bulk.change_status, self))
        self.btn_pilot = QPushButton(self.tr("Changer le pilote…"))
        self.btn_pilot.clicked.connect(partial(bulk.change_pilot, self))
        self.btn_due = QPushButton(self.tr("Réviser l'échéance…"))
        self.btn_due.clicked.connect(partial(bulk.revise_due_date, self))
        self.btn_import = QPushButton(self.tr("Importer…"))
        self.btn_import.clicked.connect(partial(files.import_file, self))
        self.btn_export = QToolButton()
        self.btn_export.setText(self.tr("Exporter"))
        self.btn_export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.btn_export)
        menu.addAction(self.tr("Liste filtrée (.xlsx)…"), partial(files.export, self, "xlsx"))
        menu.addAction(
            self.tr("Programme, une feuille par axe (.xlsx)…"),
            partial(files.export, self, "xlsx", par_axe=True, tout=True),
        )
        menu.addAction(self.tr("Liste filtrée (.csv)…"), partial(files.export, self, "csv"))
        menu.addAction(self.tr("Échéances pour l'agenda (.ics)…"), partial(files.export, self, "ics"))
        self.btn_export.setMenu(menu)
        self.export_menu = menu
        self.btn_report = QPushButton(self.tr("Bilan du PAQSS…"))
        self.btn_report.clicked.connect(partial(files.report, self))
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
        for w in (self.btn_import, self.btn_export, self.btn_report):
            bar.addWidget(w)
        return bar

    def _build_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(24)
        view.setAlternatingRowColors(False)
        view.setWordWrap(False)
        view.doubleClicked.connect(lambda idx: self.edit(self.model.action_id(idx.row())))
        view.installEventFilter(self)  # Ctrl+A: the whole list, not only the pages read so far
        hh = view.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(False)
        for i, w in enumerate(COLUMN_WIDTHS):
            view.setColumnWidth(i, w)
        hh.sectionResized.connect(lambda *_: self._save_state())
        hh.sectionMoved.connect(lambda *_: self._save_state())
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            watched is self.view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.SelectAll)
        ):
            while self.model.canFetchMore():  # every page read first: « tout sélectionner » means all
                self.model.fetchMore()
        return super().eventFilter(watched, event)

    # --- what the user arranged (columns, filters), kept between sessions ---------------
    def _save_state(self, colonnes: bool = True) -> None:
        """Kept in the settings file when it changed (``colonnes``: the header too — else, after a filter,
        the columns as last kept): opening the page or filtering rewrites nothing that is the same."""
        if self._loading:
            return
        kept = self.ctx.settings.ui_state.get("paqss")
        kept = kept if isinstance(kept, dict) else {}
        state = {"colonnes": kept.get("colonnes"), "filtres": self.filters.state()}
        if colonnes or state["colonnes"] is None:
            header = self.view.horizontalHeader().saveState().toBase64()
            state["colonnes"] = bytes(header.data()).decode("ascii")
        if state == kept:
            return
        self.ctx.settings.ui_state["paqss"] = state
        with contextlib.suppress(OSError):
            self.ctx.settings.save()

    def _restore_state(self) -> None:
        st = self.ctx.settings.ui_state.get("paqss")
        st = st if isinstance(st, dict) else {}
        self._loading = True
        try:
            if st.get("colonnes"):
                self.view.horizontalHeader().restoreState(
                    QByteArray.fromBase64(str(st["colonnes"]).encode("ascii"))
                )
            self._pending_filters = st.get("filtres") or None
        finally:
            self._loading = False

    # --- reading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read everything (after a write's ChangeSet, or a write of this page), keeping the selection."""
        keep = self.selected_ids()
        self._loading = True
        try:
            self.filters.fill_choices(lu(self.ctx.db, annuaire.choices), lu(self.ctx.db, paqss.service_choices))
            self.structure.fill(lu(self.ctx.db, paqss.tree))
            if self._pending_filters:
                self.filters.restore(self._pending_filters)
                self._pending_filters = None
        finally:
            self._loading = False
        self.apply_filters()
        if keep:
            self.select_ids(keep)

    def current_filter(self) -> paqss.ActionFilter:
        return self.filters.apply_to(self.structure.narrow(paqss.ActionFilter()))

    def apply_filters(self) -> None:
        if self._loading:
            return
        self.filters.debounce.stop()
        f = self.current_filter()
        self.model.set_filter(f)
        count = self.tr("%1 action(s)").replace("%1", str(self.model.total))
        notice, self.notice = self.notice, ""
        self.count_label.setText(f"{count} — {notice}" if notice else count)
        self._refresh_strip(f.programme_id)
        if self.tabs.currentIndex() == 1:
            self.refresh_timeline()
        self._save_state(colonnes=False)

    def _refresh_strip(self, programme_id: int | None) -> None:
        if programme_id is None:
            programme_id = paqss.programme_courant(self.ctx.db)
        s = lu(self.ctx.db, paqss.summary, programme_id)
        for code, lab in self.strip_labels.items():
            lab.setText(f"{rules.STATUTS[code]} : <b>{s.par_statut.get(code, 0)}</b>")
        self.strip_retard.setText(self.tr("En retard : %1").replace("%1", str(s.en_retard)))
        self.strip_mois.setText(self.tr("Échéance ce mois-ci : %1").replace("%1", str(s.ce_mois)))
        taux = "—" if s.taux_annee is None else f"{s.taux_annee:.0f} %".replace(".", ",")
        self.strip_taux.setText(
            self.tr("Réalisées (échéances %1) : %2").replace("%1", str(s.annee)).replace("%2", taux)
        )

    def refresh_timeline(self) -> None:
        self.timeline.show_rows(paqss.timeline(self.ctx.db, self.current_filter()))

    def clear_filters(self) -> None:
        self._loading = True
        self.filters.clear()
        self._loading = False
        self.apply_filters()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.action_id(r) for r in rows]

    def select_ids(self, ids: list[int], *, reach: bool = False) -> None:
        """Select the actions ``ids`` among the rows read (the list is read by pages as it scrolls);
        ``reach``: read the next pages until they are all found, and show the first (after a sort)."""
        sm = self.view.selectionModel()
        sm.clearSelection()
        wanted = set(ids)
        found: list[int] = []
        start = 0
        while True:
            found += [r for r in range(start, self.model.rowCount()) if self.model.action_id(r) in wanted]
            start = self.model.rowCount()
            if not reach or len(found) == len(wanted) or not self.model.canFetchMore():
                break
            self.model.fetchMore()
        for r in found:
            sm.select(
                self.model.index(r, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        if reach and found:  # shown once the view has laid the new rows out
            first = QPersistentModelIndex(self.model.index(found[0], 0))
            sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            QTimer.singleShot(0, lambda: self.view.scrollTo(first) if first.isValid() else None)

    # --- one action ----------------------------------------------------------------------
    def new_action(self) -> None:
        key = self.structure.current_key()
        obj = key[1] if key is not None and key[0] == "objectif" else None
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

    def open_item(self, item_type: str, item_id: int | None) -> None:
        """From « Aujourd'hui » or the search: an action opens in its editor; « actions » (the home page's
        « … et N autres ») shows the list filtered on the overdue ones."""
        if item_type == "action" and item_id is not None:
            self.select_ids([item_id])
            self.edit(item_id)
        elif item_type == "actions":
            self.clear_filters()
            self.filters.echeance.setCurrentIndex(self.filters.echeance.findData("en_retard"))
            self.apply_filters()

    def _open_editor(self, action_id: int | None, objectif_id: int | None) -> None:
        from qualite_app.gui.paqss.editor import ActionEditor

        try:
            self.editor = ActionEditor(self.ctx, action_id, self, objectif_id=objectif_id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.editor.setWindowModality(Qt.WindowModality.WindowModal)
        self.editor.open()

    # --- screenshots (tools/screenshots.py) ---------------------------------------------
    def screenshot_states(self) -> Iterator[tuple[str, Any]]:
        """The editor, the overdue list, the timeline and the import preview, for tools/screenshots.py."""
        import tempfile

        late = paqss.list_actions(self.ctx.db, paqss.ActionFilter(echeance="en_retard"))

        def editor() -> Any:
            self.edit(late[0].id if late else self.model.action_id(0))
            self.editor.resize(900, 720)
            return self.editor

        def overdue() -> Any:
            self.editor.close()
            self.filters.echeance.setCurrentIndex(self.filters.echeance.findData("en_retard"))
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
