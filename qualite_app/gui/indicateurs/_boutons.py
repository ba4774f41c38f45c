"""Small widget helpers of the Indicateurs pages: French labels on standard dialog buttons (the Qt
translations may be missing on the machine) and ``named`` (an object name, for tests and style sheets)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialogButtonBox

LABELS = {
    QDialogButtonBox.StandardButton.Ok: "OK",
    QDialogButtonBox.StandardButton.Cancel: "Annuler",
    QDialogButtonBox.StandardButton.Save: "Enregistrer",
    QDialogButtonBox.StandardButton.Close: "Fermer",
}

Q = TypeVar("Q", bound=QObject)


def franciser(box: QDialogButtonBox) -> QDialogButtonBox:
    for std, text in LABELS.items():
        b = box.button(std)
        if b is not None:
            b.setText(text)
    return box


def named(obj: Q, name: str) -> Q:
    """``obj`` with its object name set. PySide6 accepts ``objectName=`` as a constructor keyword, but its
    type stubs do not list the inherited QObject properties: this keeps the code typed without ignores."""
    obj.setObjectName(name)
    return obj
