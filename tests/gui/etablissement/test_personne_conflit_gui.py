"""Two people edit the same person of the directory (two bases open on the same file / server database): the
second save shows what the first changed, then reapplies the user's changes over it or discards them."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from qualite_app.etablissement import annuaire
from qualite_app.storage.database import Database
from tests.helpers.collegue import collegue, contexte, repondre_au_conflit


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_second_save_shows_the_colleague_change_then_reapplies_or_discards(
    qtbot: Any, demo_db: Database, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    with contexte(demo_db) as ctx:
        _conflict(qtbot, ctx, monkeypatch, choice)


def _conflict(qtbot: Any, ctx: Any, monkeypatch: pytest.MonkeyPatch, choice: str) -> None:
    from qualite_app.gui.etablissement.personne_dialog import PersonneDialog

    db = ctx.db
    person = annuaire.list_personnes(db, "brevanne")[0]
    before = annuaire.get_personne(db, person.id)
    dlg = PersonneDialog(ctx, None, person.id)
    qtbot.addWidget(dlg)
    dlg.show()
    fonction = dlg.findChild(QLineEdit, "champ_fonction")
    fonction.selectAll()
    qtbot.keyClicks(fonction, "Directrice des soins")
    with collegue(db) as other:  # meanwhile, Julien ARSAC changes her landline and saves
        theirs = annuaire.get_personne(other, person.id)
        theirs.tel_fixe = "01 23 45 67 89"
        annuaire.save_personne(other, theirs)
    shown = repondre_au_conflit(monkeypatch, choice)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "a été modifiée par quelqu'un d'autre" in shown[0]
    assert "Julien ARSAC" in shown[0] and "01 23 45 67 89" in shown[0]  # who, and what they changed
    now = annuaire.get_personne(db, person.id)
    assert now.tel_fixe == "01 23 45 67 89"  # the colleague's change is kept either way
    if choice.startswith("Réappliquer"):  # and mine is put over it
        assert now.fonction == "Directrice des soins" and not dlg.isVisible()
    else:  # the form shows what the base holds, still open
        assert (
            now.fonction == before.fonction and fonction.text() == (before.fonction or "") and dlg.isVisible()
        )
        assert dlg.findChild(QLineEdit, "champ_tel_fixe").text() == "01 23 45 67 89"
