"""Cause analysis → PAQSS action, seen from each end (event, analysis, action); CREX sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from qualite_app.errors import ValidationError
from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.paqss import services as paqss
from qualite_app.socle import liens
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


@pytest.fixture
def programme(db: Database) -> int:
    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    axe = paqss.save_axe(db, prog, "Culture de sécurité", "A1")
    return paqss.save_objectif(db, axe, "Analyser les EI", "A1.1")


def _analyse(db: Database, ev: list[int], **kw: object) -> int:
    data = evenements.AnalyseData(
        methode="alarm", le=date(2026, 6, 10), evenement_ids=ev, participants="Cadre, IDE, médecin, pharmacien",
        etapes=[evenements.EtapeData("22 h 10", "Appel du patient", None),
                evenements.EtapeData("22 h 40", "Passage de l'IDE", "Délai de réponse de 30 minutes")],
        facteurs=[evenements.FacteurData("equipe", "Transmissions orales incomplètes"),
                  evenements.FacteurData("organisation", "Une IDE pour 28 patients la nuit")],
        synthese="Chute liée à un délai de réponse à l'appel.",
    )  # fmt: skip
    for k, v in kw.items():
        setattr(data, k, v)
    return evenements.enregistrer_analyse(db, data, today=TODAY)


def test_analysis_action_chain_from_each_end(
    db: Database, declarer: Callable[..., int], programme: int
) -> None:
    e1, e2 = declarer(), declarer(gravite="3")
    an = _analyse(db, [e1, e2])
    got = evenements.get_analyse(db, an)
    assert got.reference == "AN-2026-001" and [f.famille for f in got.facteurs] == ["equipe", "organisation"]
    assert [e.ecart for e in got.etapes] == [None, "Délai de réponse de 30 minutes"]
    assert evenements.get_evenement(db, e1).statut == rules.EN_ANALYSE
    aid = evenements.decider_action(
        db, an, "Installer des barrières de lit", echeance=date(2026, 9, 30), today=TODAY
    )
    # from the analysis
    assert [a.titre for a in evenements.actions_de_l_analyse(db, an)] == ["Installer des barrières de lit"]
    # from the event
    assert [a.id for a in evenements.actions_de_l_evenement(db, e2)] == [aid]
    assert evenements.get_evenement(db, e2).statut == rules.ACTIONS_DECIDEES
    # from the action
    action = paqss.get_action(db, aid)
    assert action.source == "ei" and "AN-2026-001 (ALARM)" in (action.source_detail or "")
    assert [(x.other_type, x.other_id) for x in liens.links_of(db, paqss.ACTION_TYPE, aid)] == [
        ("evenement_analyse", an)
    ]
    assert [r.reference for r in evenements.list_analyses(db, e1)] == ["AN-2026-001"]


def test_ishikawa_families_and_refusals(db: Database, declarer: Callable[..., int]) -> None:
    e = declarer()
    with pytest.raises(ValidationError, match="n'appartient pas à la méthode Ishikawa"):
        _analyse(db, [e], methode="ishikawa")
    an = _analyse(db, [e], methode="ishikawa", sept_m=True,
                  facteurs=[evenements.FacteurData("management", "Pas de cadre la nuit")])  # fmt: skip
    assert evenements.get_analyse(db, an).facteurs[0].famille == "management"
    with pytest.raises(ValidationError, match="au moins un"):
        _analyse(db, [])


def test_a_refused_action_leaves_the_events_status_unchanged(
    db: Database, declarer: Callable[..., int]
) -> None:
    e = declarer()
    an = _analyse(db, [e])
    from qualite_app.errors import UserError

    with pytest.raises(UserError, match="Aucun programme PAQSS"):
        evenements.decider_action(db, an, "Action sans programme", today=TODAY)
    assert evenements.get_evenement(db, e).statut == rules.EN_ANALYSE


def test_crex_session(db: Database, declarer: Callable[..., int]) -> None:
    a, b = declarer(), declarer()
    sid = evenements.enregistrer_seance(db, date(2026, 6, 12), "CREX pôle médecine", [a, b], retenu_id=b)
    _analyse(db, [b], methode="orion", crex_seance_id=sid)
    (row,) = evenements.seances(db)
    assert (row.tries, row.retenus, row.analyse) == (
        ["EI-2026-00001", "EI-2026-00002"],
        ["EI-2026-00002"],
        "AN-2026-001",
    )
