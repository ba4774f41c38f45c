"""The demo crisis plan: what the issue promises, counted in the base."""

from __future__ import annotations

from qualite_app.crise import services as crise
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database


def test_demo_plan(demo_db: Database) -> None:
    pid = crise.trouver_plan(demo_db, None)
    p = crise.contenu(demo_db, pid)
    assert len(p.niveaux) == 2 and len(p.roles) == 12 and len(p.fiches) == 25
    assert all(r.titulaire is not None and r.suppleants for r in p.roles)
    covered = {c for f in p.fiches for c in f.scenarios}
    assert {"AMAVI", "REB", "CYBER", "EVAC"} <= covered
    assert any(c.tel == "15" for c in p.contacts) and any(c.appele_par for c in p.contacts)
    assert not [a for a in crise.alertes(demo_db, pid) if a.gravite == "erreur"]
    ex = crise.exercices(demo_db, pid)
    assert len(ex) == 1 and ex[0].retex
    assert sum(len(c.actions) for c in ex[0].constats) == 3
    assert len(paqss.actions_depuis(demo_db, crise.PLAN_TYPE, pid)) == 3
    acts = crise.activations(demo_db, pid)
    assert len(acts) == 1 and acts[0].levee_le is not None
    entries = crise.entrees(demo_db, acts[0].id)
    assert any(e.barree_par for e in entries) and any(e.categorie == "point" for e in entries)


def test_demo_pocket_card_carries_five_numbers_but_not_the_holders_own(demo_db: Database) -> None:
    from qualite_app.crise.cartes import numeros_du_role

    p = crise.contenu(demo_db, crise.trouver_plan(demo_db, None))
    director = next(r for r in p.roles if r.code == "DIR")
    nums = numeros_du_role(p, "DIR")
    assert len(nums) == 5 and all(c.tel for c in nums)
    assert director.titulaire is not None and all(c.personne_id != director.titulaire.id for c in nums)
    assert nums[0].fonction.startswith("ARS")  # tagged for the director first
