"""Helpers for the adverse-event tests: ``declarer(**fields)`` declares an event (a fall by default)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from qualite_app.evenements import services as evenements
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


@pytest.fixture
def declarer(db: Database) -> Callable[..., int]:
    def declare(**kw: object) -> int:
        values: dict[str, object] = {
            "survenu_le": datetime(2026, 6, 1, 14, 30),
            "declare_le": date(2026, 6, 2),
            "type_code": "chute",
            "faits": "Patient retrouvé au sol au pied du lit.",
        }
        values.update(kw)
        return evenements.enregistrer_evenement(db, evenements.EvenementData(**values), today=TODAY)  # type: ignore[arg-type]

    return declare


@pytest.fixture
def service_id(db: Database) -> int:
    from qualite_app.etablissement import identite

    return identite.save_service(db, "Médecine gériatrique", None)
