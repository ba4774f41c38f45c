"""The demo establishment's certification: about 70 % answered, 150 evidence files, some expired, two
impératifs unmet and turned into PAQSS actions, evidence pointing to actions and indicators."""

from __future__ import annotations

from qualite_app.certification import campagnes, preuves, scores
from qualite_app.storage.database import Database


def test_demo_campaign(demo_db: Database) -> None:
    rows = campagnes.campagnes(demo_db)
    assert len(rows) == 2
    syn = scores.synthese(demo_db, rows[0].id)
    assert 0.65 <= syn.evalues / syn.a_evaluer <= 0.75
    assert [c.ref for c in syn.imperatifs_non_atteints] == ["2.2-06", "3.1-05"]
    assert syn.projection.decision == "sous_conditions"
    assert syn.preuves_expirees > 0 and sum(c.preuves_expirant for c in syn.chapitres) > 0
    ev = preuves.lister(demo_db)
    files = [p for p in ev if p.sha256]
    assert len(files) == 150 and {p.nom_fichier.rsplit(".", 1)[1] for p in files} == {"pdf", "png"}
    assert {p.item_type for p in ev if p.item_type} == {"paqss_action", "indicateur"}
    crit = next(c for c in syn.criteres if c.ref == "2.2-06")
    assert [a.titre[:6] for a in scores.actions_du_critere(demo_db, crit.id)] == ["2.2-06"]  # type: ignore[attr-defined]


def test_demo_sessions_produced_answers(demo_db: Database) -> None:
    cid = campagnes.campagnes(demo_db)[0].id
    sessions = campagnes.sessions(demo_db, cid)
    assert {x.methode for x in sessions} == {"patient_traceur", "audit_systeme"}
    assert all(x.reponses == 12 for x in sessions)
    rows = campagnes.grille(demo_db, cid, campagnes.GrilleFiltre(session_id=sessions[0].id))
    assert len(rows) == 12 and all(
        r.methode == sessions[0].methode and r.date == sessions[0].date for r in rows
    )
