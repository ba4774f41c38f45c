"""A risk edited by two people at once: the second save shows the first's change, then puts the user's changes
over it (the colleague's other changes kept) or discards them and shows the risk as the base now holds it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qualite_app.risques import services as risques
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue, contexte, repondre_au_conflit


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_risk_saved_meanwhile_is_reapplied_or_reloaded(
    qtbot: Any, demo_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from qualite_app.gui.risques.risque_dialog import RisqueDialog

    rid = risques.list_risques(demo_db)[0].id
    with contexte(demo_db) as ctx:
        dlg = RisqueDialog(ctx, None, rid)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.barrieres.selectAll()
        qtbot.keyClicks(dlg.barrieres, "Double controle infirmier")
        with collegue(demo_db) as other:
            theirs = risques.get_risque(other, rid)
            theirs.danger = "Erreur d'administration (revue en CREX)"
            risques.enregistrer_risque(other, theirs)
        shown = repondre_au_conflit(monkeypatch, choice)
        save = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert len(shown) == 1 and "Julien ARSAC" in shown[0] and "revue en CREX" in shown[0]
        now = risques.get_risque(demo_db, rid)
        if choice.startswith("Réappliquer"):  # mine over theirs, theirs kept
            assert now.barrieres == "Double controle infirmier" and now.danger == theirs.danger
            assert not dlg.isVisible()
        else:
            assert now.danger == theirs.danger and now.barrieres != "Double controle infirmier"
            assert dlg.isVisible() and dlg.danger.text() == theirs.danger  # the form shows the base now
            assert dlg.barrieres.toPlainText() == (now.barrieres or "")
