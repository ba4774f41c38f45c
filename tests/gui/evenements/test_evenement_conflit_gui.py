"""An adverse event corrected by two people at once: the second save shows the first's change, then puts the
user's changes over it (the colleague's other changes kept) or discards them, the form showing the base."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue, contexte, repondre_au_conflit


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_event_saved_meanwhile_is_reapplied_or_reloaded(
    qtbot: Any, demo_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    from qualite_app.gui.evenements.declaration import DeclarationDialog

    eid = evenements.list_evenements(demo_db)[0].id
    before = evenements.get_evenement(demo_db, eid)
    with contexte(demo_db) as ctx:
        dlg = DeclarationDialog(ctx, None, eid)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.lieu.selectAll()
        qtbot.keyClicks(dlg.lieu, "Couloir du 3e etage")
        with collegue(demo_db) as other:
            theirs = evenements.get_evenement(other, eid)
            theirs.mesures_immediates = "Patient reinstalle, surveillance renforcee"
            evenements.enregistrer_evenement(other, theirs)
        shown = repondre_au_conflit(monkeypatch, choice)
        save = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert len(shown) == 1 and f"L'événement {before.reference} a été modifié" in shown[0]
        assert "Julien ARSAC" in shown[0] and "surveillance renforcee" in shown[0]
        now = evenements.get_evenement(demo_db, eid)
        assert now.mesures_immediates == theirs.mesures_immediates  # theirs kept either way
        if choice.startswith("Réappliquer"):
            assert now.lieu == "Couloir du 3e etage" and not dlg.isVisible()
        else:
            assert now.lieu == before.lieu and dlg.isVisible() and dlg.lieu.text() == (before.lieu or "")
            assert dlg.mesures.toPlainText() == theirs.mesures_immediates
