"""An action born from another area's item: created and linked in the caller's transaction, listed from the item."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.errors import UserError, ValidationError
from qualite_app.paqss import services as paqss
from qualite_app.socle import liens
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


def test_action_from_an_item_is_linked_and_listed_from_the_item(
    db: Database, structure: dict[str, int]
) -> None:
    aid = paqss.creer_action_depuis(db, "cert_critere", 42, "Tracer la réévaluation de la douleur", "certification",
                                    source_detail="Critère 2.2-05", echeance=date(2026, 12, 31), today=TODAY)  # fmt: skip
    a = paqss.get_action(db, aid)
    assert (a.source, a.source_detail, a.objectif_id) == (
        "certification",
        "Critère 2.2-05",
        structure["objectif"],
    )
    assert a.reference.startswith("PAQSS-2026-")
    found = paqss.actions_depuis(db, "cert_critere", 42)
    assert [(x.id, x.titre, x.statut_libelle) for x in found] == [
        (aid, "Tracer la réévaluation de la douleur", "À lancer")
    ]
    assert [(link.other_type, link.other_id) for link in liens.links_of(db, paqss.ACTION_TYPE, aid)] == [
        ("cert_critere", 42)
    ]
    assert paqss.actions_depuis(db, "cert_critere", 43) == []


def test_a_refused_action_leaves_the_callers_transaction_unwritten(
    db: Database, structure: dict[str, int]
) -> None:
    before = len(paqss.list_actions(db, today=TODAY))
    with pytest.raises(ValidationError), db.unit_of_work() as s:
        paqss.action_depuis(s, "evenement", 1, "Analyse faite", "ei", today=TODAY)
        paqss.action_depuis(s, "evenement", 1, " ", "ei", today=TODAY)  # no title: the whole click is refused
    assert len(paqss.list_actions(db, today=TODAY)) == before
    assert paqss.actions_depuis(db, "evenement", 1) == []


def test_unknown_source_and_missing_programme_are_said_in_french(db: Database) -> None:
    with pytest.raises(UserError, match="Aucun programme PAQSS"):
        paqss.creer_action_depuis(db, "risque", 1, "Réduire le risque de chute", "risques", today=TODAY)
    with pytest.raises(ValidationError):
        paqss.creer_action_depuis(db, "risque", 1, "Réduire le risque de chute", "inventée", today=TODAY)
