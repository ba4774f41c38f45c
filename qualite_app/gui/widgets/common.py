"""Small widgets shared by the pages: page header, empty state, field with its error label, ``named``."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


def page_title(text: str, subtitle: str = "") -> QWidget:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 6)
    lay.setSpacing(2)
    t = named(QLabel(text), "pageTitle")
    lay.addWidget(t)
    if subtitle:
        s = named(QLabel(subtitle), "pageSubtitle")
        s.setWordWrap(True)
        lay.addWidget(s)
    return w


class FieldError(QLabel):
    """The message shown beside a field; empty and hidden when the field is valid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


INVALID_STYLE = "border: 1px solid #C62828; background: #fff5f5;"


def mark_invalid(edit: QWidget, invalid: bool) -> None:
    # A per-widget style sheet, not style().unpolish(): the style-sheet style is a shared object
    # that a Python wrapper must never own (deleting it crashes the application at exit).
    edit.setStyleSheet(INVALID_STYLE if invalid else "")


def search_box(placeholder: str) -> QLineEdit:
    e = QLineEdit()
    e.setPlaceholderText(placeholder)
    e.setClearButtonEnabled(True)
    e.setMinimumWidth(340)
    return e


def empty_state(text: str) -> QLabel:
    lbl = named(QLabel(text), "emptyState")
    from PySide6.QtCore import Qt  # not at import: the window's skeleton needs this module, not ``Qt``

    lbl.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lbl.setWordWrap(True)
    return lbl


Q = TypeVar("Q", bound=QObject)


def tab_parent(tabs: QTabWidget) -> QWidget:
    """Where ``tabs`` keeps its pages: a page built there (``View(ctx, tab_parent(tabs))``) is not moved
    when ``addTab`` takes it. Moving a built widget into the window restyles its whole subtree (the
    application's style sheet): built in place, each widget is styled once."""
    inner = tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")
    return inner if inner is not None else tabs


def named(obj: Q, name: str) -> Q:
    """``obj`` with its object name set. PySide6 accepts ``objectName=`` as a constructor keyword, but its
    type stubs do not list the inherited QObject properties: this keeps the code typed without ignores."""
    obj.setObjectName(name)
    return obj


def tree_leaves(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The rows under a two-level tree's headings (the headings apart), top to bottom."""
    out: list[QTreeWidgetItem] = []
    for i in range(tree.topLevelItemCount()):
        head = tree.topLevelItem(i)
        assert head is not None
        out += [c for j in range(head.childCount()) if (c := head.child(j)) is not None]
    return out
