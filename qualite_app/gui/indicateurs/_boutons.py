"""Small widget helpers of the Indicateurs pages: French labels on standard dialog buttons (the Qt
translations may be missing on the machine)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

LABELS = {
    QDialogButtonBox.StandardButton.Ok: "OK",
    QDialogButtonBox.StandardButton.Cancel: "Annuler",
    QDialogButtonBox.StandardButton.Save: "Enregistrer",
    QDialogButtonBox.StandardButton.Close: "Fermer",
}

def franciser(box: QDialogButtonBox) -> QDialogButtonBox:
    for std, text in LABELS.items():
        b = box.button(std)
        if b is not None:
            b.setText(text)
    return box
