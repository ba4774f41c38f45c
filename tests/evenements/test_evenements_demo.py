"""The demo establishment's events, EIGS calendar, analyses and risk map."""

from __future__ import annotations

from datetime import date

from qualite_app.evenements import rules
from qualite_app.evenements import services as evenements
from qualite_app.risques import services as risques
from qualite_app.storage.database import Database


def test_demo_events_eigs_and_analyses(demo_db: Database) -> None:
    today = date.today()
    n = evenements.count_evenements(demo_db)
    assert 1400 <= n <= 1600
    assert evenements.count_evenements(demo_db, evenements.EvenementFilter(eigs=True)) == 4
    due = evenements.echeances(demo_db, today=today)
    assert due[0].partie == 2 and due[0].etat == rules.EN_RETARD
    assert any(e.partie == 2 and e.jours == 10 for e in due)
    analyses = evenements.list_analyses(demo_db)
    assert len(analyses) == 12 and all(a.nb_facteurs >= 1 for a in analyses)
    assert {a.methode for a in analyses} == {"alarm", "rmm", "orion"}
    assert all(evenements.actions_de_l_analyse(demo_db, a.id) for a in analyses)
    assert len(evenements.seances(demo_db)) == 3  # the three ORION analyses, one per CREX session


def test_demo_risk_map(demo_db: Database) -> None:
    c = risques.carte(demo_db)
    assert c.total == 60 and sum(map(sum, c.brute)) == 60 and sum(map(sum, c.residuelle)) == 60
    assert len(risques.processus(demo_db)) == 8
