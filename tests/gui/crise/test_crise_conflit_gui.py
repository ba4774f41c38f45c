"""A crisis exercise edited (« Modifier… ») while a colleague completed its RETEX: the save shows the colleague's
change, then puts the user's changes over it or abandons them (nothing of the user's written)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from qualite_app.crise import services as crise
from tests.helpers.collegue import collegue, repondre_au_conflit

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_exercise_saved_meanwhile_is_reapplied_or_abandoned(
    qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from qualite_app.gui.crise import formulaire

    db = page.ctx.db
    tab = page.ex_tab
    page.tabs.setCurrentWidget(tab)
    ex = crise.exercices(db, page.plan.id)[0]
    plan_id = page.plan.id

    def user_types_while_colleague_saves(dlg: Any) -> int:
        dlg.edits["participants"].setPlainText("Cellule de crise, urgences, SAMU")
        with collegue(db) as other:  # the form is open: a colleague completes the RETEX
            theirs = crise.exercice_data(other, ex.id)
            theirs.retex = "RETEX complété : ligne dédiée commandée"
            crise.save_exercice(other, plan_id, theirs, ex.id)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(formulaire.Formulaire, "exec", user_types_while_colleague_saves)
    shown = repondre_au_conflit(monkeypatch, choice)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    qtbot.mouseClick(tab.btn_modifier, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "Julien ARSAC" in shown[0] and "ligne dédiée commandée" in shown[0], shown
    now = crise.exercice_data(db, ex.id)
    assert now.retex == "RETEX complété : ligne dédiée commandée"  # theirs kept either way
    if choice.startswith("Réappliquer"):
        assert now.participants == "Cellule de crise, urgences, SAMU"
    else:
        assert now.participants == ex.participants
