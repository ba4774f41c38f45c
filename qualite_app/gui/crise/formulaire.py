"""A small form dialog (labelled line, text and choice fields) used by the page Crise: correction, point de
situation, stand-down, plan properties, revision, exercise, finding."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.widgets.common import named

#: a field: (key, label, initial text, multi-line)
Field = tuple[str, str, str, bool]


class Formulaire(QDialog):
    """``fields`` in order; a key of ``choices`` is a drop-down of (label, value) instead, ``initial`` being
    the value to select. ``values()`` after ``exec()``: text of the fields, value of the drop-downs."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fields: list[Field],
        choices: dict[str, list[tuple[str, Any]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        for key, label, initial, multi in fields:
            edit: QLineEdit | QPlainTextEdit | QComboBox
            if choices and key in choices:
                edit = QComboBox()
                for text, value in choices[key]:
                    edit.addItem(text, value)
                    if str(value) == initial:
                        edit.setCurrentIndex(edit.count() - 1)
            elif multi:
                edit = QPlainTextEdit(initial)
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(70)
            else:
                edit = QLineEdit(initial)
            self.edits[key] = named(edit, key)
            form.addRow(label, edit)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, e in self.edits.items():
            if isinstance(e, QComboBox):
                out[k] = e.currentData()
            elif isinstance(e, QPlainTextEdit):
                out[k] = e.toPlainText()
            else:
                out[k] = e.text()
        return out
