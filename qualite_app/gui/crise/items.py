"""None-safe access to the items of Qt's item widgets (``item()``, ``child()`` may return None)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTreeWidget, QTreeWidgetItem

ROLE = Qt.ItemDataRole.UserRole


def cell_data(table: QTableWidget, row: int, col: int = 0, role: int = ROLE) -> Any:
    item = table.item(row, col)
    return item.data(role) if item is not None else None


def cell_text(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def selected_row(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def top(tree: QTreeWidget, i: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(i)
    assert item is not None, f"élément {i} absent de l'arbre"
    return item


def child(item: QTreeWidgetItem, k: int) -> QTreeWidgetItem:
    c = item.child(k)
    assert c is not None, f"enfant {k} absent"
    return c
