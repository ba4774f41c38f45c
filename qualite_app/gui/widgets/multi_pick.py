"""A compact multi-select: a filter line above a short list of checkable names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from qualite_app.rules.text import fold


class MultiPick(QWidget):
    """Pick several ``(value, text)`` items; ``checked()`` gives the chosen values."""

    def __init__(self, items: list[tuple[Any, str]], placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(placeholder)
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setFixedHeight(78)
        self.list.setUniformItemSizes(True)
        for value, text in items:
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, value)
            it.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            )
            it.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(it)
        self.filter.textChanged.connect(self._filter)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        for i in range(self.list.count()):
            it = self.list.item(i)
            label = fold(it.text())
            checked = it.checkState() == Qt.CheckState.Checked
            self.list.setRowHidden(i, bool(words) and not checked and not all(w in label for w in words))

    def _sort_checked_first(self) -> None:
        """On load, the chosen names come first in the short list (never while the user ticks)."""
        self.list.blockSignals(True)
        items = [self.list.takeItem(0) for _ in range(self.list.count())]
        items.sort(key=lambda it: (it.checkState() != Qt.CheckState.Checked, it.text().casefold()))
        for it in items:
            self.list.addItem(it)
        self.list.blockSignals(False)
        self._filter(self.filter.text())

    def item_for(self, value: Any) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == value:
                return self.list.item(i)
        return None

    def set_checked(self, values: list[Any]) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            it = self.list.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in values
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._sort_checked_first()

    def checked(self) -> list[Any]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
