"""A small form dialog (labelled line and text fields) used by the page Crise: correction, point de situation,
stand-down, new plan."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qualite_app.gui.widgets.common import named


class Formulaire(QDialog):
    """``fields``: (key, label, initial text, multi-line). ``values()`` after ``exec()``."""

    def __init__(self, parent: QWidget | None, title: str, fields: list[tuple[str, str, str, bool]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        for key, label, initial, multi in fields:
            edit: QLineEdit | QPlainTextEdit
            if multi:
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
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, str]:
        return {
            k: e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text() for k, e in self.edits.items()
        }
