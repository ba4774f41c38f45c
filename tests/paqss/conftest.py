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
