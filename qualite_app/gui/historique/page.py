"""Historique: the audit journal, filtered by period, item type, person and text. Read-only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.context import AppContext
from qualite_app.gui.models.rows import Column, RowTableModel
from qualite_app.gui.pages import Page
from qualite_app.gui.widgets.common import named, page_title, search_box
from qualite_app.socle import journal

PERIODES = [
    ("Tout", None),
    ("Aujourd'hui", 0),
    ("7 derniers jours", 7),
    ("30 derniers jours", 30),
    ("12 derniers mois", 365),
    ("Période choisie…", -1),
]


#: lines read at a time; more as the list is scrolled (``canFetchMore``), up to ``PLAFOND``
PAGE = 200
PLAFOND = 5000


def journal_model(parent: QWidget) -> RowTableModel:
    return RowTableModel(
        [
            Column("Date et heure", lambda r: r.horodatage.strftime("%d/%m/%Y %H:%M:%S")),
            Column("Qui", lambda r: r.utilisateur),
            Column("Action", lambda r: r.action),
            Column("Élément", lambda r: r.entite_type),
            Column("Libellé", lambda r: r.entite_libelle, tooltip=lambda r: r.entite_libelle),
            Column("Champ", lambda r: r.champ),
            Column("Ancienne valeur", lambda r: r.ancienne_valeur, tooltip=lambda r: r.ancienne_valeur),
            Column("Nouvelle valeur", lambda r: r.nouvelle_valeur, tooltip=lambda r: r.nouvelle_valeur),
        ],
        parent,
    )


class ChoixDiffere(QComboBox):
    """A filter whose choices are read when the user reaches it (popup, focus, keyboard, wheel), not when
    the page opens: reading every author of a long journal costs a scan. « All » is its first choice;
    ``stale()`` makes the next reach re-read them (the current choice kept)."""

    def __init__(self, all_label: str, loader: Callable[[], list[str]]) -> None:
        super().__init__()
        self._loader = loader
        self._filled = False
        self.addItem(all_label, None)

    def stale(self) -> None:
        self._filled = False

    def ensure(self) -> None:
        """The choices read now if they are not yet (or no longer) up to date."""
        if self._filled:
            return
        self._filled = True
        current = self.currentData()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for v in self._loader():
            self.addItem(v, v)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.blockSignals(False)

    def showPopup(self) -> None:  # noqa: N802
        self.ensure()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.ensure()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        self.ensure()
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        self.ensure()
        super().wheelEvent(event)


class HistoriquePage(Page):
    listens_to = frozenset({"journal_audit"})  # every journaled write, whatever its area

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        lay = QVBoxLayout(self)
        lay.addWidget(
            page_title(
                self.tr("Historique"),
                self.tr(
                    "Chaque modification faite dans l'application : qui, quand, quel élément, quel champ, ancienne → nouvelle valeur. Le journal ne peut pas être modifié."
                ),
            )
        )
        bar = QHBoxLayout()
        self.periode = named(QComboBox(), "filtrePeriode")
        for label, days in PERIODES:
            self.periode.addItem(self.tr(label), days)
        self.du = QDateEdit(QDate.currentDate().addDays(-30))
        self.au = QDateEdit(QDate.currentDate())
        for d in (self.du, self.au):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd/MM/yyyy")
            d.setEnabled(False)
        self.type = named(
            ChoixDiffere(self.tr("Tous les éléments"), lambda: journal.entity_types(self.ctx.db)),
            "filtreType",
        )
        self.qui = named(
            ChoixDiffere(self.tr("Tout le monde"), lambda: journal.users(self.ctx.db)), "filtreQui"
        )
        self.search = search_box(self.tr("Rechercher dans les libellés et les valeurs…"))
        self.search.setMinimumWidth(220)
        bar.addWidget(QLabel(self.tr("Période :")))
        bar.addWidget(self.periode)
        bar.addWidget(QLabel(self.tr("du")))
        bar.addWidget(self.du)
        bar.addWidget(QLabel(self.tr("au")))
        bar.addWidget(self.au)
        bar.addWidget(QLabel(self.tr("Élément :")))
        bar.addWidget(self.type)
        bar.addWidget(QLabel(self.tr("Qui :")))
        bar.addWidget(self.qui)
        bar.addWidget(self.search, 1)
        lay.addLayout(bar)
        self.model = journal_model(self)
        self.view = named(QTableView(), "tableJournal")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        h = self.view.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        # the date and time whole (« 01/12/2026 17:06:47 »), in the font the table is drawn with
        quand = self.view.fontMetrics().horizontalAdvance("00/00/0000 00:00:00") + 24
        for col, width in enumerate((max(140, quand), 120, 80, 115, 220, 120, 140)):
            self.view.setColumnWidth(col, width)
        lay.addWidget(self.view, 1)
        self.count = named(QLabel(), "hint")
        lay.addWidget(self.count)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh_list)
        self.search.textChanged.connect(self._debounce.start)
        self.periode.currentIndexChanged.connect(self._period_changed)
        for w in (self.type, self.qui):
            w.currentIndexChanged.connect(self.refresh_list)
        for d in (self.du, self.au):
            d.dateChanged.connect(self.refresh_list)
        self.reload()

    def _fill_filters(self) -> None:
        """The filters' choices are re-read when the user next reaches them."""
        self.type.stale()
        self.qui.stale()

    def _period_changed(self) -> None:
        custom = self.periode.currentData() == -1
        self.du.setEnabled(custom)
        self.au.setEnabled(custom)
        self.refresh_list()

    def bounds(self) -> tuple[date | None, date | None]:
        days = self.periode.currentData()
        if days is None:
            return None, None
        if days == -1:
            du, au = self.du.date().toPython(), self.au.date().toPython()
            assert isinstance(du, date) and isinstance(au, date)
            return du, au
        today = date.today()
        return today - timedelta(days=days), today

    def reload(self) -> None:
        """The journal grew: the filters' choices (who, which element) and the list."""
        self._fill_filters()
        self.refresh_list()

    def refresh_list(self) -> None:
        """A filter changed: the list only (the choices are those of the journal, unchanged). The first
        lines are read now, the next ones as the list is scrolled; SQL finds them (up to 5,000) in one pass."""
        du, au = self.bounds()
        filters = {"du": du, "au": au, "entite_type": self.type.currentData(), "utilisateur": self.qui.currentData(),
                   "texte": self.search.text().strip()}  # fmt: skip
        db = self.ctx.db
        model = self.model
        # one pass over the journal: the ids of every line that matches (up to 5,000), newest first; the
        # lines themselves are read by their ids, a page at a time, as the list is scrolled
        ids = journal.matching_ids(db, plafond=PLAFOND, **filters)
        model.fetch = lambda offset, limit: journal.entries_by_ids(db, ids[offset : offset + limit])
        model.total = len(ids)
        model.set_rows(model.fetch(0, PAGE))
        total = model.total
        if not total:
            self.count.setText(self.tr("Aucune modification ne correspond à ces filtres."))
        elif total >= PLAFOND:
            self.count.setText(
                self.tr(
                    "Les 5 000 modifications les plus récentes sont affichées : précisez les filtres pour remonter plus loin."
                )
            )
        else:
            self.count.setText(self.tr("%1 modification(s)").replace("%1", str(total)))
        self.view.setSortingEnabled(False)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
