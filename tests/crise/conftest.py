"""Helpers for the crisis-plan tests: a PGTHSSE from the shipped template in an empty base, with people."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.crise import services as crise
from qualite_app.storage.database import Database

TODAY = date(2026, 12, 1)


@pytest.fixture
def plan(db: Database) -> int:
    return crise.nouveau_plan_depuis_modele(db, "pgthsse", "PGTHSSE Hôpital test", today=TODAY)


@pytest.fixture
def gens(db: Database) -> dict[str, int]:
    from qualite_app.etablissement import annuaire

    def p(nom: str, prenom: str, actif: bool = True) -> int:
        return annuaire.save_personne(
            db, annuaire.PersonneData(nom=nom, prenom=prenom, actif=actif, tel_mobile="06 12 34 56 78")
        )

    return {
        "dir": p("MONTVALLON", "Claire"),
        "adj": p("VERLHAC", "Anne-Sophie"),
        "parti": p("ANCIEN", "Paul", actif=False),
    }
