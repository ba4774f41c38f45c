"""The action list: a table model fed page by page (``fetchMore``) by one SQL query (filter and sort happen
in the database, the count is an SQL aggregate), so 10,000 actions open as fast as 100."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from qualite_app.gui.models.rows import KeyedTableModel
from qualite_app.gui.pages import lu
from qualite_app.paqss import rules
from qualite_app.paqss import services as paqss
from qualite_app.paqss.services import liste
from qualite_app.socle.base import Database

# (key used for SQL sorting, header)
COLUMNS: list[tuple[str, str]] = [
    ("reference", "Référence"),
    ("titre", "Action"),
    ("axe", "Axe"),
    ("statut", "Statut"),
    ("avancement", "Avanc."),
    ("pilote", "Pilote"),
    ("copilote", "Copilote"),
    ("service", "Service"),
    ("echeance", "Échéance"),
    ("priorite", "Priorité"),
    ("source", "Source"),
]
OVERDUE_BG = QColor("#FDECEA")
OVERDUE_FG = QColor("#B71C1C")
DONE_FG = QColor("#5B6573")
#: rows read at a time; more as the list is scrolled
PAGE = 200


def fr(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class ActionTableModel(KeyedTableModel):
    COLUMNS = COLUMNS
    #: the first order of the list (the reference's), before the view's header says otherwise
    TRI = "reference"

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.filter = paqss.ActionFilter()
        self.tri = self.TRI
        self.decroissant = False
        self.today = date.today()
        #: the rows as read (``raw``: the database's tuples); ``rows[i]`` is an ``ActionRow``
        self.rows: liste.ActionRows = liste.ActionRows([], {}, {}, {})
        #: the number of actions the filter selects (``rows`` holds the pages read so far)
        self.total = 0
        #: called once the list has been read again in another order (the page selects again what was)
        self.on_sorted: Callable[[], None] | None = None
        self._loaded = False
        self._bold = QFont()
        self._bold.setBold(True)

    # --- loading ---------------------------------------------------------------------
    def _page(self, offset: int) -> liste.ActionRows:
        # the first page as ``PaqssPage.prechauffer`` read it in idle time, if nothing changed since
        return lu(self.db, liste.action_rows, self.filter, tri=self.tri, decroissant=self.decroissant,
                  today=self.today, limit=PAGE, offset=offset)  # fmt: skip

    def refresh(self) -> None:
        self._loaded = True
        self.beginResetModel()
        self.today = date.today()
        self.rows = self._page(0)
        # a page that is not full is the whole answer: no second scan to count it
        n = len(self.rows)
        self.total = n if n < PAGE else lu(self.db, liste.count_actions, self.filter, today=self.today)
        self.endResetModel()

    def set_filter(self, f: paqss.ActionFilter) -> None:
        self.filter = f
        self.refresh()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        more = self._page(len(self.rows))
        if not more.raw:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        tri, decroissant = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
        if self._loaded and (tri, decroissant) == (self.tri, self.decroissant):
            return  # the view asks again (sorting enabled, header state restored): the rows are sorted so
        self.tri, self.decroissant = tri, decroissant
        if self._loaded:  # else the view is being set up: the first ``refresh`` reads in this order
            self.refresh()
            if self.on_sorted is not None:
                self.on_sorted()

    # --- Qt API ----------------------------------------------------------------------
    # Only the cells on screen are asked for: each reads its row's tuple, nothing is built per row.
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows.raw[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        late = rules.en_retard(r[liste.ECHEANCE], r[liste.ECHEANCE_REVISEE], r[liste.STATUT], self.today)
        if role == Qt.ItemDataRole.BackgroundRole and late:
            return QBrush(OVERDUE_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            if late:
                return QBrush(OVERDUE_FG)
            if r[liste.STATUT] in rules.CLOTURES:
                return QBrush(DONE_FG)
        if role == Qt.ItemDataRole.FontRole and late and key in ("echeance", "reference"):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "echeance" and r[liste.ECHEANCE_REVISEE]:
                return f"Échéance révisée ; échéance initiale : {fr(r[liste.ECHEANCE])}"
            if late:
                days = rules.jours_de_retard(
                    r[liste.ECHEANCE], r[liste.ECHEANCE_REVISEE], r[liste.STATUT], self.today
                )
                return f"En retard de {days} jour{'s' if days > 1 else ''}"
            if key == "titre":
                return r[liste.TITRE]
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("avancement", "echeance", "priorite"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r[liste.ID]
        return None

    def _display(self, r: Any, key: str) -> str:
        if key == "statut":
            return rules.statut_label(r[liste.STATUT])
        if key == "avancement":
            return f"{r[liste.AVANCEMENT]} %"
        if key == "echeance":
            return fr(r[liste.ECHEANCE_REVISEE] or r[liste.ECHEANCE]) + (
                " *" if r[liste.ECHEANCE_REVISEE] else ""
            )
        if key == "priorite":
            return rules.priorite_label(r[liste.PRIORITE])
        if key == "source":
            return rules.source_label(r[liste.SOURCE])
        if key == "axe":
            return self.rows.axe(r)
        if key in ("pilote", "copilote"):
            return self.rows.personne(r[liste.PILOTE_ID if key == "pilote" else liste.COPILOTE_ID])
        if key == "service":
            return self.rows.service(r[liste.SERVICE_ID])
        return str(r[liste.REFERENCE if key == "reference" else liste.TITRE] or "")

    def action_id(self, row: int) -> int:
        return int(self.rows.raw[row][liste.ID])
