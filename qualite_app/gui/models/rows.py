"""A read-only table model over a list of plain rows (dataclasses) returned by a service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


class KeyedTableModel(QAbstractTableModel):
    """A table over ``self.rows`` whose columns are ``(key, header)`` pairs (``COLUMNS``): the row and column
    counts and the headers every such list shares (PAQSS actions, events); subclasses give ``data``."""

    COLUMNS: list[tuple[str, str]] = []

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: Sequence[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section][1]
        return None


def append_page(model: QAbstractItemModel, rows: list[Any], more: Sequence[Any]) -> bool:
    """A list read page by page (``fetchMore``): the next page appended to the model's ``rows``, with the
    signals the view needs; False when there was nothing more to read."""
    if not more:
        return False
    model.beginInsertRows(QModelIndex(), len(rows), len(rows) + len(more) - 1)
    rows.extend(more)
    model.endInsertRows()
    return True


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    sort_key: str | None = None  # name the service sorts on; None = not sortable
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    tooltip: Callable[[Any], str] | None = None


class RowTableModel(QAbstractTableModel):
    """Rows come sorted and filtered from SQL; clicking a header asks the owner to re-query."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.on_sort: Callable[[str, bool], None] | None = None
        self.muted: Callable[[Any], bool] | None = None
        #: a list read page by page as the view scrolls: ``fetch(offset, limit)`` reads more, up to ``total``
        #: (here rather than in a Python subclass: under PySide 6.11, constructing this class after a Python
        #: subclass of it was destroyed crashed the interpreter — tests/gui/test_modeles_tables.py)
        self.fetch: Callable[[int, int], list[Any]] | None = None
        self.total = 0
        self.page = 200

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.fetch is not None and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if self.fetch is None:
            return
        more = self.fetch(len(self.rows), min(self.page, self.total - len(self.rows)))
        if not append_page(self, self.rows, more):
            self.total = len(self.rows)

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            v = col.value(row)
            return "" if v is None else str(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and self.muted is not None and self.muted(row):
            return QBrush(QColor("#8a94a3"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        if key and self.on_sort is not None:
            self.on_sort(key, order == Qt.SortOrder.DescendingOrder)
