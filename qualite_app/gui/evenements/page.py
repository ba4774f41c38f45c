"""Événements: the register (paged model/view), the EIGS deadlines strip, declaration by keyboard,
EIGS classification with its deadlines shown at once, the selected event's analyses and actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qualite_app.evenements import catalogue, rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.context import AppContext
from qualite_app.gui.evenements.analyses_panel import AnalysesPanel
from qualite_app.gui.evenements.declaration import DeclarationDialog
from qualite_app.gui.evenements.model import COLUMNS, EvenementTableModel
from qualite_app.gui.evenements.stats_panel import StatsPanel
from qualite_app.gui.operations import run_write
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import named, page_title, search_box

STRIP = "QLabel { background:#EEF3F8; border-radius:4px; padding:4px 10px; }"
STRIP_LATE = (
    "QLabel { background:#FDECEA; color:#B71C1C; border-radius:4px; padding:4px 10px; font-weight:600; }"
)

if TYPE_CHECKING:
    from qualite_app.socle.base import Database


class EvenementsPage(Page):
    listens_to = frozenset({"evenements", "paqss", "etablissement"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: DeclarationDialog | None = None
        self.eigs_dialog: QWidget | None = None
        self.analyse_dialog: QWidget | None = None
        self.import_dialog: QWidget | None = None
        pays = evenements.pays_etablissement(ctx.db)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(page_title(self.tr("Événements indésirables"),
                                   self.tr("Registre des déclarations, EIGS et leurs échéances, analyses des causes et actions.")))  # fmt: skip
        strip = QHBoxLayout()
        self.strip_eigs = named(QLabel(), "stripEigs")
        self.strip_count = named(QLabel(), "stripCount")
        self.strip_count.setStyleSheet(STRIP)
        strip.addWidget(self.strip_eigs)
        strip.addWidget(self.strip_count)
        strip.addStretch(1)
        outer.addLayout(strip)
        self.tabs = named(QTabWidget(), "onglets")
        registre = QWidget()
        reg = QVBoxLayout(registre)
        reg.setContentsMargins(0, 4, 0, 0)
        self.tabs.addTab(registre, self.tr("Registre"))
        self.stats: StatsPanel | None = None
        self.tabs.addTab(QWidget(), self.tr("Statistiques"))
        self.analyses = AnalysesPanel(ctx)
        self.tabs.addTab(self.analyses, self.tr("Analyses et CREX"))
        self.tabs.currentChanged.connect(self._tab_changed)
        outer.addWidget(self.tabs, 1)

        bar = QHBoxLayout()
        self.btn_new = named(QPushButton(self.tr("Déclarer (Ctrl+N)")), "btnDeclarer")
        self.btn_new.clicked.connect(self.declare)
        self.btn_edit = named(QPushButton(self.tr("Corriger")), "btnCorriger")
        self.btn_edit.clicked.connect(self.edit_current)
        self.btn_eigs = named(QPushButton(self.tr("Classer EIGS")), "btnEigs")
        self.btn_eigs.clicked.connect(self.classify_eigs)
        self.btn_declaration = named(QPushButton(self.tr("Déclaration EIGS…")), "btnDeclarationEigs")
        self.btn_declaration.clicked.connect(self.edit_eigs)
        self.btn_analyse = named(QPushButton(self.tr("Analyse des causes…")), "btnAnalyse")
        self.btn_analyse.clicked.connect(self.analyse)
        self.btn_import = named(QPushButton(self.tr("Importer…")), "btnImport")
        self.btn_import.clicked.connect(self.import_file)
        self.btn_ics = named(QPushButton(self.tr("Échéances EIGS (.ics)…")), "btnIcs")
        self.btn_ics.clicked.connect(self.export_ics)
        for b in (
            self.btn_new,
            self.btn_edit,
            self.btn_eigs,
            self.btn_declaration,
            self.btn_analyse,
            self.btn_import,
            self.btn_ics,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        reg.addLayout(bar)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.declare)

        filters = QHBoxLayout()
        self.search = named(search_box(self.tr("Rechercher (référence, faits, lieu, service…)")), "search")
        self.type_filter = named(QComboBox(), "typeFilter")
        self.type_filter.addItem(self.tr("Tous les types"), None)
        for t in catalogue.types(pays):
            self.type_filter.addItem(t.libelle, t.code)
        self.grav_filter = named(QComboBox(), "gravFilter")
        self.grav_filter.addItem(self.tr("Toutes gravités"), None)
        for n in catalogue.echelle(pays).niveaux:
            self.grav_filter.addItem(self.tr("≥ ") + n.libelle, n.rang)
        self.eigs_only = named(QCheckBox(self.tr("EIGS seulement")), "eigsOnly")
        for w in (self.search, self.type_filter, self.grav_filter, self.eigs_only):
            filters.addWidget(w)
        filters.addStretch(1)
        reg.addLayout(filters)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._timer.start)
        self.type_filter.currentIndexChanged.connect(self.apply_filter)
        self.grav_filter.currentIndexChanged.connect(self.apply_filter)
        self.eigs_only.toggled.connect(self.apply_filter)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = EvenementTableModel(ctx.db, self)
        self.table = named(QTableView(), "registre")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda *_: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        split.addWidget(self.table)
        self.detail = named(QLabel(), "detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumWidth(260)
        self.detail.setStyleSheet("QLabel { background:white; padding:10px; }")
        from qualite_app.gui.widgets.liens import LiensPanel

        #: the selected event's chain: its analyses, its actions and beyond
        self.liens = LiensPanel(ctx, titre=self.tr("Liens de l'événement"))
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.detail)
        side.addWidget(self.liens)
        side.setSizes([380, 260])
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 420])
        reg.addWidget(split, 1)
        self.reload()
        for i, width in enumerate((108, 132, 125, 135, 120, 110)):
            self.table.setColumnWidth(i, width)

    @classmethod
    def prechauffer(cls, db: Database) -> None:
        from qualite_app.gui.evenements.model import PAGE

        f = evenements.EvenementFilter()
        rows = evenements.list_evenements(db, f, tri="survenu_le", desc=True, limit=PAGE)
        if len(rows) == PAGE:
            evenements.count_evenements(db, f)
        evenements.echeances(db)

    def _tab_changed(self, index: int) -> None:
        if index == 2:
            self.analyses.refresh()
        if index == 1 and self.stats is None:
            self.stats = StatsPanel(self.ctx)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, self.stats, self.tr("Statistiques"))
            self.tabs.setCurrentIndex(1)
            self.stats.refresh()

    def show_stats(self) -> StatsPanel:
        self.tabs.setCurrentIndex(1)
        assert self.stats is not None
        return self.stats

    # --- data ----------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.stats is not None and self.tabs.currentIndex() == 1:
            self.stats.refresh()
        if self.tabs.currentIndex() == 2:
            self.analyses.refresh()
        current = self.current_id()
        self.model.refresh()
        self._strip()
        if current is not None:
            self.select(current)
        self.show_detail()

    def _strip(self) -> None:
        due = evenements.echeances(self.ctx.db)
        late = [e for e in due if e.etat == rules.EN_RETARD]
        soon = [e for e in due if e.etat == rules.PROCHE]
        if not due:
            self.strip_eigs.setText(self.tr("EIGS : aucune partie de déclaration à transmettre"))
        else:
            parts = []
            if late:
                parts.append(self.tr("%n en retard", "", len(late)).replace("%n", str(len(late))))
            if soon:
                parts.append(
                    self.tr("%n à transmettre sous 15 jours", "", len(soon)).replace("%n", str(len(soon)))
                )
            first = due[0]
            parts.append(
                self.tr("prochaine : ")
                + f"{first.reference} partie {first.partie} le {first.echeance:%d/%m/%Y}"
            )
            self.strip_eigs.setText(self.tr("EIGS : ") + " · ".join(parts))
        self.strip_eigs.setStyleSheet(STRIP_LATE if late else STRIP)
        n = self.model.total
        self.strip_count.setText(f"{n:,}".replace(",", "\u202f") + self.tr(" événement(s)"))

    def apply_filter(self, *_: object) -> None:
        self.model.set_filter(evenements.EvenementFilter(
            texte=self.search.text(), type_code=self.type_filter.currentData(),
            gravite_min=self.grav_filter.currentData(), eigs=self.eigs_only.isChecked()))  # fmt: skip
        self._strip()
        self.show_detail()

    def _reference(self, eid: int | None) -> str:
        idx = self.table.currentIndex() if hasattr(self, "table") else None
        return str(self.model.index(idx.row(), 0).data() or "") if eid is not None and idx is not None else ""

    def current_id(self) -> int | None:
        idx = self.table.currentIndex() if hasattr(self, "table") else None
        return self.model.evenement_id(idx.row()) if idx is not None and idx.isValid() else None

    def select(self, evenement_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.evenement_id(row) == evenement_id:
                idx = self.model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    idx,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(idx)
                return True
        return False

    def open_item(self, item_type: str, item_id: int) -> None:
        """From « Aujourd'hui » or the search: the event selected in the register (the filters cleared if
        they hide it), its detail shown."""
        if item_type == "analyse":
            self.open_analysis(item_id)
            return
        if item_type != "evenement":
            return
        self.tabs.setCurrentIndex(0)
        if not self.select(item_id):
            self.search.clear()
            self.eigs_only.setChecked(False)
            self.type_filter.setCurrentIndex(0)
            self.grav_filter.setCurrentIndex(0)
            self.apply_filter()
            self.select(item_id)  # beyond the rows fetched so far: the detail alone is shown
        if self.current_id() == item_id:
            self.show_detail()
        else:
            self.detail.setText(detail_html(self.ctx, item_id))
            self.liens.show_for("evenement", item_id)

    def show_detail(self) -> None:
        eid = self.current_id()
        self.liens.show_for("evenement" if eid is not None else None, eid, self._reference(eid))
        if eid is None:
            self.detail.setText(
                self.tr(
                    "Sélectionnez un événement pour voir son détail, ses échéances d'EIGS, ses analyses et ses actions."
                )
            )
            return
        self.detail.setText(detail_html(self.ctx, eid))

    # --- actions -------------------------------------------------------------------------------
    def declare(self) -> None:
        self._open_dialog(None)

    def edit_current(self) -> None:
        eid = self.current_id()
        if eid is not None:
            self._open_dialog(eid)

    def _open_dialog(self, eid: int | None) -> None:
        self.dialog = DeclarationDialog(self.ctx, self, eid)
        self.dialog.accepted.connect(lambda: self._after_save(self.dialog))
        self.dialog.open()

    def _after_save(self, dialog: DeclarationDialog | None) -> None:
        if dialog is not None and dialog.saved_id is not None:
            self.reload()
            self.select(dialog.saved_id)

    def classify_eigs(self) -> None:
        eid = self.current_id()
        if eid is None:
            return
        if run_write(self.ctx, self, evenements.classer_eigs, self.ctx.db, eid) is not None:
            self.reload()
            self.select(eid)

    def edit_eigs(self) -> None:
        """The two parts of the selected EIGS (classified first when it is not yet)."""
        from qualite_app.gui.evenements.eigs_dialog import EigsDialog

        eid = self.current_id()
        if eid is None:
            return
        if evenements.get_eigs(self.ctx.db, eid) is None:
            self.classify_eigs()
            if evenements.get_eigs(self.ctx.db, eid) is None:
                return
        self.eigs_dialog = EigsDialog(self.ctx, eid, self)
        self.eigs_dialog.accepted.connect(self.reload)
        self.eigs_dialog.open()

    def open_analysis(self, analyse_id: int) -> None:
        """From the search or a *Liens* panel: the analysis in its dialog, over the « Analyses et CREX » tab."""
        from qualite_app.gui.evenements.analyse_dialog import AnalyseDialog

        self.tabs.setCurrentWidget(self.analyses)
        self.analyse_dialog = AnalyseDialog(self.ctx, [], self, analyse_id)
        self.analyse_dialog.finished.connect(lambda *_: self.reload())
        self.analyse_dialog.open()

    def analyse(self) -> None:
        """The latest analysis of the selected event, or a new one."""
        from qualite_app.gui.evenements.analyse_dialog import AnalyseDialog

        eid = self.current_id()
        if eid is None:
            return
        existing = evenements.list_analyses(self.ctx.db, eid)
        self.analyse_dialog = AnalyseDialog(self.ctx, [eid], self, existing[0].id if existing else None)
        self.analyse_dialog.finished.connect(lambda *_: self.reload())
        self.analyse_dialog.open()

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """The EIGS strip and detail, the declaration, the two parts, the analysis, the other tabs — for
        tools/screenshots.py."""

        def eigs() -> None:
            self.tabs.setCurrentIndex(0)
            self.eigs_only.setChecked(True)
            due = evenements.echeances(self.ctx.db)
            if due:
                self.select(due[0].evenement_id)

        def dialog(open_it: Callable[[], None], attr: str) -> Callable[[], QWidget | None]:
            def show() -> QWidget | None:
                open_it()
                return getattr(self, attr)

            return show

        def tab(i: int) -> Callable[[], None]:
            return lambda: self.tabs.setCurrentIndex(i)

        return [("eigs", eigs), ("declaration-eigs", dialog(self.edit_eigs, "eigs_dialog")),
                ("analyse", dialog(self.analyse, "analyse_dialog")), ("declarer", dialog(self.declare, "dialog")),
                ("statistiques", tab(1)), ("analyses-crex", tab(2))]  # fmt: skip

    def import_file(self) -> None:
        from qualite_app.gui.evenements.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(self.ctx, self)
        self.import_dialog.finished.connect(lambda *_: self.reload())
        self.import_dialog.open()
        self.import_dialog.choose()

    def export_ics(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Échéances des EIGS"), "echeances-eigs.ics", "iCalendar (*.ics)"
        )
        if path:
            run_write(self.ctx, self, evenements.exporter_ical, self.ctx.db, Path(path))


def _esc(text: object) -> str:
    from html import escape

    return escape(str(text or "")).replace("\n", "<br/>")


def detail_html(ctx: AppContext, eid: int) -> str:
    """The selected event: facts, severity, EIGS deadlines, analyses and the PAQSS actions they produced."""
    e = evenements.get_evenement(ctx.db, eid)
    pays = evenements.pays_etablissement(ctx.db)
    kind = catalogue.echelle(pays).nature(e.gravite)  # Quebec: incident (A–B) or accident (C–I)
    nature = f" ({kind})" if kind else ""
    out = [f"<h3>{_esc(e.reference)}</h3>",
           f"<p><b>{_esc(catalogue.type_label(pays, e.type_code))}</b> — {_esc(catalogue.echelle(pays).libelle(e.gravite) or 'gravité non évaluée')}{nature}<br/>"
           f"Survenu le {e.survenu_le:%d/%m/%Y à %H:%M} · déclaré le {e.declare_le:%d/%m/%Y}<br/>"
           f"Statut : {_esc(rules.statut_label(e.statut))}</p>",
           f"<p>{_esc(e.faits)}</p>"]  # fmt: skip
    d = evenements.get_eigs(ctx.db, eid)
    if d is not None:
        out.append("<h4>Déclaration d'EIGS</h4><ul>")
        today = date.today()
        for x in rules.echeances_eigs(
            eid, e.reference or "", d.connaissance_le, d.partie1_envoyee_le, d.partie2_envoyee_le, today  # type: ignore[arg-type]
        ):  # fmt: skip
            colour = {"en_retard": "#B71C1C", "proche": "#A84300"}.get(x.etat, "#1F3A5F")
            state = f"envoyée le {x.envoyee_le:%d/%m/%Y}" if x.envoyee_le else rules.ETATS[x.etat].lower()
            out.append(
                f"<li style='color:{colour}'>Partie {x.partie} : échéance {x.echeance:%d/%m/%Y} — {state}</li>"
            )
        out.append("</ul>")
    analyses = evenements.list_analyses(ctx.db, eid)
    if analyses:
        out.append("<h4>Analyses</h4><ul>")
        out += [
            f"<li>{_esc(a.reference)} — {_esc(rules.methode_label(a.methode))} du {a.le:%d/%m/%Y}</li>"
            for a in analyses
        ]
        out.append("</ul>")
    actions = evenements.actions_de_l_evenement(ctx.db, eid)
    if actions:
        out.append("<h4>Actions PAQSS</h4><ul>")
        out += [
            f"<li>{_esc(a.reference)} — {_esc(a.titre)} ({_esc(a.statut_libelle)}, {a.avancement} %)</li>"
            for a in actions
        ]
        out.append("</ul>")
    fixes = evenements.corrections(ctx.db, eid)
    if fixes:
        out.append("<h4>Modifications et corrections (journal)</h4><ul>")
        out += [f"<li>{when:%d/%m/%Y} — {_esc(who)} : {_esc(what)} « {_esc(before)} » → « {_esc(after)} »</li>"
                for when, who, what, before, after in fixes[:12]]  # fmt: skip
        out.append("</ul>")
    return "".join(out)


__all__ = ["COLUMNS", "EvenementsPage"]
