"""Driving a *Liens* panel as a user: « Lier à… », type words, choose a result, OK."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

ROLE = Qt.ItemDataRole.UserRole


def lier_a(
    qtbot: Any, panel: Any, texte: str, choisir: Callable[[Any], bool], nature: str = "", bouton: Any = None
) -> Any:
    """Click « Lier à… » (or ``bouton``), type ``texte``, highlight the first result ``choisir`` accepts,
    Entrée (chosen), then the nature, then « Lier ». Returns the result chosen."""
    qtbot.mouseClick(bouton or panel.btn_lier, Qt.MouseButton.LeftButton)
    dlg = panel.last_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    qtbot.keyClicks(dlg.search.field, texte)

    def wanted() -> Any:
        return next((it for it in dlg.search.result_items() if choisir(it.data(0, ROLE))), None)

    qtbot.waitUntil(lambda: wanted() is not None, timeout=5000)
    dlg.search.results.setCurrentItem(wanted())
    qtbot.keyClick(dlg.search.field, Qt.Key.Key_Return)
    chosen = dlg.choice
    assert chosen is not None and dlg.ok.isEnabled()
    if nature:
        dlg.nature.setEditText(nature)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    return chosen


def lignes(panel: Any) -> list[tuple[str, str, str]]:
    """(reference, title, link) of every row the panel shows."""
    return [(it.text(0), it.text(1), it.text(2)) for it in panel.items()]


def groupes(panel: Any) -> list[str]:
    return [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
