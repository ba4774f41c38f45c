"""An objective renamed from the PAQSS tree while a colleague renamed it too: the rename shows the colleague's
change (checked against the version the tree read), then puts the user's title over it or abandons it and shows
the tree as the base now holds it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog

from qualite_app.paqss import services as paqss
from tests.helpers.collegue import collegue, repondre_au_conflit


def _objectif(page: Any) -> Any:
    item = page.tree.topLevelItem(0).child(0).child(0)
    assert item is not None and item.data(0, 256)[0] == "objectif"
    return item


@pytest.mark.parametrize("choice", ["Réappliquer mes modifications", "Abandonner mes modifications"])
def test_objective_renamed_meanwhile_is_reapplied_or_reloaded(
    qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    db = page.ctx.db
    item = _objectif(page)
    oid = item.data(0, 256)[1]
    before = next(o for a in paqss.tree(db)[0].axes for o in a.objectifs if o.id == oid)
    page.tree.setCurrentItem(item)
    with collegue(db) as other:  # after the tree was read, before the user's rename
        paqss.save_objectif(other, 0, "Déclarer, analyser et partager les EI", before.code, id=oid)
    # the user: « Renommer… » (the tree's context menu), types the new title
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("A1.1 Déclarer tous les EI", True))
    )
    shown = repondre_au_conflit(monkeypatch, choice)
    page.structure.rename_node()
    assert len(shown) == 1 and "Julien ARSAC" in shown[0] and "partager les EI" in shown[0], shown
    now = next(o for a in paqss.tree(db)[0].axes for o in a.objectifs if o.id == oid)
    if choice.startswith("Réappliquer"):
        assert (now.code, now.titre) == ("A1.1", "Déclarer tous les EI")
        qtbot.waitUntil(lambda: _objectif(page).text(0) == "A1.1 Déclarer tous les EI")
    else:
        assert now.titre == "Déclarer, analyser et partager les EI"
        assert _objectif(page).text(0) == f"{before.code} Déclarer, analyser et partager les EI".strip()
        # the tree now holds the colleague's version: a new rename goes through without a conflict
        page.tree.setCurrentItem(_objectif(page))
        page.structure.rename_node()
        assert len(shown) == 1
        assert (
            next(o for a in paqss.tree(db)[0].axes for o in a.objectifs if o.id == oid).titre
            == "Déclarer tous les EI"
        )
