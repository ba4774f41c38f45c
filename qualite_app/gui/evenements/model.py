"""The register: a table model fed page by page (``fetchMore``) by one SQL query that filters and sorts
in the database, so 100,000 events open as fast as 100. EIGS rows show their next deadline, coloured."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.gui.models.rows import KeyedTableModel, append_page
from qualite_app.socle.base import Database

COLUMNS: list[tuple[str, str]] = [
    ("reference", "Référence"),
    ("survenu_le", "Survenu le"),
    ("service", "Service"),
    ("type", "Type"),
    ("gravite", "Gravité"),
    ("statut", "Statut"),
    ("eigs", "Échéance EIGS"),
]
PAGE = 200
COLOURS = {
    rules.EN_RETARD: (QColor("#FDECEA"), QColor("#B71C1C")),
    rules.PROCHE: (QColor("#FFF4E5"), QColor("#A84300")),
}


class EvenementTableModel(KeyedTableModel):
    COLUMNS = COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.filter = evenements.EvenementFilter()
        self.tri = "survenu_le"
        self.desc = True
        self.today = date.today()
        self.total = 0
        self.rows: list[evenements.EvenementRow] = []
        self._loaded = False

    def refresh(self) -> None:
        self._loaded = True
        self.beginResetModel()
        self.today = date.today()
        self.rows = evenements.list_evenements(
            self.db, self.filter, tri=self.tri, desc=self.desc, limit=PAGE, today=self.today
        )
        # a page that is not full is the whole answer: no second scan to count it
        self.total = (
            len(self.rows) if len(self.rows) < PAGE else evenements.count_evenements(self.db, self.filter)
        )
        self.endResetModel()

    def set_filter(self, f: evenements.EvenementFilter) -> None:
        self.filter = f
        self.refresh()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        more = evenements.list_evenements(self.db, self.filter, tri=self.tri, desc=self.desc, limit=PAGE,
                                          offset=len(self.rows), today=self.today)  # fmt: skip
        if not append_page(self, self.rows, more):
            self.total = len(self.rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        tri, desc = COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder
        if (tri, desc) == (self.tri, self.desc) and self._loaded:
            return  # asked again by the view (sorting enabled, column chosen): already in this order
        self.tri, self.desc = tri, desc
        if self._loaded:  # else the view is being set up: the first ``refresh`` reads in this order
            self.refresh()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        nxt = r.prochaine_echeance
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        if (
            role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
            and nxt
            and nxt.etat in COLOURS
        ):
            bg, fg = COLOURS[nxt.etat]
            return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        if role == Qt.ItemDataRole.ToolTipRole and key == "eigs" and nxt:
            days = f"en retard de {-nxt.jours} j" if nxt.jours < 0 else f"dans {nxt.jours} j"
            return f"Partie {nxt.partie} à transmettre au plus tard le {nxt.echeance:%d/%m/%Y} ({days})"
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    @staticmethod
    def _display(r: evenements.EvenementRow, key: str) -> str:
        if key == "survenu_le":
            return r.survenu_le.strftime("%d/%m/%Y %H:%M")
        if key == "type":
            return r.type_libelle
        if key == "gravite":
            return r.gravite_libelle
        if key == "statut":
            return rules.statut_label(r.statut)
        if key == "eigs":
            if not r.eigs:
                return ""
            n = r.prochaine_echeance
            return f"Partie {n.partie} : {n.echeance:%d/%m/%Y}" if n else "Déclaration envoyée"
        return str(getattr(r, key) or "")

    def evenement_id(self, row: int) -> int:
        return self.rows[row].id
