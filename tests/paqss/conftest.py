"""Helpers for the PAQSS tests."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database


@pytest.fixture
def structure(db: Database) -> dict[str, int]:
    """A small programme in an empty database: one axis, one objective, two people."""
    from qualite_app.etablissement import annuaire

    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    axe = paqss.save_axe(db, prog, "Culture de sécurité", "A1")
    obj = paqss.save_objectif(db, axe, "Déclarer les EI", "A1.1")
    med = annuaire.save_personne(db, annuaire.PersonneData(nom="BRÉVANNE", prenom="Hélène", civilite="Dr"))
    adm = annuaire.save_personne(db, annuaire.PersonneData(nom="ARSAC", prenom="Julien"))
    return {"programme": prog, "axe": axe, "objectif": obj, "medecin": med, "admin": adm}


@pytest.fixture
def page(qtbot, demo_db: Database):  # type: ignore[no-untyped-def]
    """The PAQSS page of the demo base, shown (GUI tests)."""
    from qualite_app.gui.context import AppContext, ChangeBus
    from qualite_app.gui.paqss.page import PaqssPage
    from qualite_app.settings import Settings

    ctx = AppContext(demo_db, ChangeBus(), Settings())
    p = PaqssPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 820)
    p.show()
    qtbot.waitExposed(p)
    return p
