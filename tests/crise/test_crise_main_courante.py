"""The main courante: activation, immutable entries, corrections, ticks, stand-down, crash survival; RETEX → PAQSS."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from qualite_app.crise import services as crise
from qualite_app.errors import UserError, ValidationError
from qualite_app.storage.database import Database
from tests.helpers.base import TEST_ACTOR
from tests.helpers.crise import MATURITE


def _activer(db: Database, plan: int) -> int:
    p = crise.contenu(db, plan)
    return crise.activer(db, plan, niveau_id=p.niveaux[1].id, scenario_id=p.scenarios[0].id,
                         declencheur="Accident de car, 30 blessés annoncés", decidee_par="Claire MONTVALLON")  # fmt: skip


def test_entries_are_immutable_and_a_correction_strikes_the_old(db: Database, plan: int) -> None:
    act = _activer(db, plan)
    with pytest.raises(UserError, match="déjà activé"):
        _activer(db, plan)
    assert crise.activation_en_cours(db, plan) == act
    n = crise.ecrire(db, act, "fait", "12 victimes arrivées aux urgences")
    crise.ecrire(db, act, "decision", "Ouverture de 10 lits en chirurgie")
    with db.session() as s:
        before = s.execute(
            text("SELECT numero, horodatage, texte, categorie FROM crise_entree WHERE numero = :n"), {"n": n}
        ).one()
    c = crise.corriger(db, act, n, "14 victimes arrivées aux urgences")
    with pytest.raises(UserError, match="déjà été corrigée"):
        crise.corriger(db, act, n, "15")
    with db.session() as s:
        after = s.execute(
            text("SELECT numero, horodatage, texte, categorie FROM crise_entree WHERE numero = :n"), {"n": n}
        ).one()
    assert tuple(after) == tuple(before)  # the struck entry is still there, unchanged
    rows = crise.entrees(db, act)
    assert [e.numero for e in rows] == [1, 2, 3, 4]
    assert (
        rows[1].barree_par == c and rows[c - 1].corrige_numero == n and rows[c - 1].categorie == "correction"
    )
    assert rows[0].categorie == "decision" and "Accident de car" in rows[0].texte

    from qualite_app.crise.models import CriseEntree

    with pytest.raises(UserError, match="ne se modifie"), db.unit_of_work() as s:
        s.get(CriseEntree, rows[1].id).texte = "falsifié"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="ne se modifie"), db.unit_of_work() as s:
        s.delete(s.get(CriseEntree, rows[1].id))
    assert crise.entrees(db, act)[1].texte == "12 victimes arrivées aux urgences"
    with pytest.raises(ValidationError, match="vide"):
        crise.ecrire(db, act, "fait", "   ")


def test_ticks_point_de_situation_and_stand_down(db: Database, plan: int) -> None:
    act = _activer(db, plan)
    tache = crise.contenu(db, plan).fiches[0].taches[0]
    crise.cocher(db, act, tache.id)
    assert tache.id in crise.coches(db, act)
    crise.point_de_situation(db, act, "20 victimes prises en charge", "Blocs ouverts", "2 IDE de renfort")
    crise.lever(db, act, levee_par="Claire MONTVALLON", motif="Dernières victimes orientées")
    rows = crise.entrees(db, act)
    assert [e.categorie for e in rows] == ["decision", "action", "point", "decision"]
    assert rows[2].besoins == "2 IDE de renfort" and "Levée décidée" in rows[3].texte
    assert crise.activation(db, act).levee_le is not None and crise.activation_en_cours(db, plan) is None
    with pytest.raises(UserError, match="close"):
        crise.ecrire(db, act, "fait", "trop tard")
    assert crise.coches_detail(db, act)[0][1] == tache.texte


def test_every_entry_survives_a_killed_process(db: Database, plan: int, tmp_path: Path) -> None:
    """Kill the writer during an activation (no clean close): every entry written before is in the base."""
    act = _activer(db, plan)
    path = db.location
    db.close()
    script = textwrap.dedent(f"""
        import os
        from qualite_app.crise import services as crise
        from qualite_app.storage.database import Actor, Database
        db = Database.open({str(path)!r}, actor=Actor("t", "T"))
        for i in range(5):
            crise.ecrire(db, {act}, "fait", f"entrée {{i}}")
        print("écrit", flush=True)
        os.kill(os.getpid(), 9)
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == -9 and "écrit" in r.stdout, r.stderr
    with Database.open(path, actor=TEST_ACTOR) as again:
        assert [e.texte for e in crise.entrees(again, act)][1:] == [f"entrée {i}" for i in range(5)]


def test_retex_finding_becomes_a_paqss_action_linked_to_the_plan(db: Database, plan: int) -> None:
    from qualite_app.paqss import services as paqss

    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(db, paqss.save_axe(db, prog, "Crise", "A1"), "Se préparer", "A1.1")
    ex = crise.save_exercice(db, plan, crise.ExerciceData("Exercice NOVI", date(2026, 10, 2), "grandeur_reelle",
                                                           retex="Tri lent", retex_le=date(2026, 11, 2)))  # fmt: skip
    cid = crise.ajouter_constat(db, ex, "Le plan de rappel n'était pas à jour")
    aid = crise.constat_vers_paqss(db, cid, today=date(2026, 11, 3))
    row = crise.exercices(db, plan)[0]
    assert row.constats[0].actions and row.type_libelle == "Exercice en grandeur réelle"
    action = paqss.get_action(db, aid)
    assert action.source == "retex" and "Exercice NOVI" in (action.source_detail or "")
    assert [a.id for a in paqss.actions_depuis(db, crise.PLAN_TYPE, plan)] == [aid]
    with pytest.raises(ValidationError, match="précéder"):
        crise.save_exercice(db, plan, crise.ExerciceData("X", date(2026, 10, 2), retex_le=date(2026, 9, 1)))
    assert not any(a.sujet == "Exercice" for a in crise.alertes(db, plan, today=date(2026, 12, 1)))


def test_the_base_itself_refuses_to_change_an_entry(db: Database, plan: int) -> None:
    """Even a raw SQL statement (another tool on the file) cannot rewrite nor delete the main courante."""
    act = _activer(db, plan)
    crise.ecrire(db, act, "fait", "Premier bilan : 12 victimes")
    for sql in ("UPDATE crise_entree SET texte = 'falsifié'", "DELETE FROM crise_entree"):
        with pytest.raises(Exception, match="ne se modifie ni ne se supprime"), db.unit_of_work() as s:
            s.execute(text(sql))
    assert [e.texte for e in crise.entrees(db, act)][1] == "Premier bilan : 12 victimes"


def test_maturity_self_assessment_through_the_certification_engine(db: Database, plan: int) -> None:
    from qualite_app.certification import referentiels

    before = crise.referentiels_maturite(db)
    ref = referentiels.importer(db, MATURITE.encode(), "maturite.yaml")
    rid = next(i for i, label in crise.referentiels_maturite(db) if (i, label) not in before)
    assert rid == ref.referentiel_id
    cid = crise.lancer_autoevaluation(db, plan, rid, today=date(2026, 11, 30))
    rows = crise.autoevaluations_maturite(db, plan)
    assert [r.campagne_id for r in rows] == [cid]
    assert rows[0].nom == "Maturité de gestion de crise — PGTHSSE Hôpital test v1 — 30/11/2026"
    assert rows[0].a_evaluer == 2 and rows[0].evalues == 0
    with pytest.raises(ValidationError, match="déjà"):
        crise.lancer_autoevaluation(
            db, plan, rid, today=date(2026, 11, 30)
        )  # same name the same day: refused, nothing left
    assert len(crise.autoevaluations_maturite(db, plan)) == 1


def test_an_entry_number_taken_meanwhile_is_numbered_again(
    db: Database, plan: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Team mode: another writer takes the next number between our read and our insert — the unique index
    refuses, the entry is numbered again in a new transaction, nothing is lost and no error is shown."""
    from qualite_app.crise.services import main_courante as mc

    act = _activer(db, plan)
    real = mc._prochain_numero
    calls = {"n": 0}

    def racing(s, activation_id):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return 1 if calls["n"] == 1 else real(s, activation_id)  # n° 1 is the activation's own entry

    monkeypatch.setattr(mc, "_prochain_numero", racing)
    assert crise.ecrire(db, act, "fait", "Deux blessés de plus") == 2
    assert calls["n"] == 2 and [e.numero for e in crise.entrees(db, act)] == [1, 2]
    monkeypatch.setattr(
        mc, "_prochain_numero", lambda s, a: 1
    )  # always taken: a French message, nothing written
    with pytest.raises(UserError, match="recommencez"):
        crise.ecrire(db, act, "fait", "Perdu ?")
    assert len(crise.entrees(db, act)) == 2
