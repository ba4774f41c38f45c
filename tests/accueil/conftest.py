"""Fixtures of the home-page tests: ``eigs(survenu)`` declares a fall classified EIGS, ``action(titre,
echeance, **kw)`` adds a PAQSS action; both on an empty base with one programme › axe › objective."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from qualite_app.evenements import services as evenements
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


@pytest.fixture
def base(db: Database) -> Database:
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Culture de sécurité", "A1"), "Analyser", "A1.1")
    return db


@pytest.fixture
def eigs(base: Database) -> Callable[[datetime], int]:
    def declare(survenu: datetime) -> int:
        data = evenements.EvenementData(survenu_le=survenu, declare_le=survenu.date(), type_code="chute", gravite="5",
                                        faits="Patient retrouvé au sol au pied du lit.")  # fmt: skip
        eid = evenements.enregistrer_evenement(base, data, today=TODAY)
        evenements.classer_eigs(base, eid, today=TODAY)
        return eid

    return declare


@pytest.fixture
def action(base: Database) -> Callable[..., int]:
    def add(titre: str, echeance: date, **kw: object) -> int:
        obj = paqss.objectif_choices(base)[0][0]
        data = paqss.ActionData(
            objectif_id=obj, titre=titre, echeance=echeance, date_debut=date(2026, 1, 5), **kw
        )  # type: ignore[arg-type]
        return paqss.save_action(base, data, today=TODAY)

    return add
