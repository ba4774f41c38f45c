"""Plan model rules and services: template, roles and deputies, checks, fiches, directory."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qualite_app.crise import rules
from qualite_app.crise import services as crise
from qualite_app.errors import UserError, ValidationError
from qualite_app.storage.database import Database
from tests.crise.conftest import TODAY


def test_new_plan_from_the_pgthsse_template(db: Database, plan: int) -> None:
    p = crise.contenu(db, plan)
    assert [n.code for n in p.niveaux] == ["N1", "N2"]
    assert "Plan blanc" in p.niveaux[1].nom
    assert len(p.roles) == 12 and len(p.fiches) == 25
    assert {"AMAVI", "REB", "CYBER", "EVAC"} <= {x.code for x in p.scenarios}
    cyber = [f for f in p.fiches if "CYBER" in f.scenarios]
    assert len(cyber) == 3
    f = p.fiches[0]
    assert f.role_code == "DIR" and f.mission  # the role's mission when the fiche has none
    assert [t.phase for t in f.taches] == sorted((t.phase for t in f.taches), key=list(rules.PHASES).index)
    assert p.revisions[0].version == "1" and p.en_vigueur
    assert crise.trouver_plan(db, None) == plan
    assert crise.trouver_plan(db, "pgthsse hôpital test") == plan
    with pytest.raises(UserError, match="introuvable"):
        crise.trouver_plan(db, "Autre")
    with pytest.raises(ValidationError, match="déjà"):
        crise.nouveau_plan_depuis_modele(db, "pgthsse", "PGTHSSE Hôpital test", today=TODAY)


def test_quebec_template_has_the_colour_codes(db: Database) -> None:
    pid = crise.nouveau_plan_depuis_modele(db, "codes_quebec", "PMU", today=TODAY)
    p = crise.contenu(db, pid)
    assert p.type_plan == "pmu_qc"
    assert {x.code for x in p.scenarios} >= {"ROUGE", "VERT", "ORANGE", "ARGENT"}
    assert all(x.couleur for x in p.scenarios)


def test_role_without_holder_inactive_deputy_and_review_overdue(
    db: Database, plan: int, gens: dict[str, int]
) -> None:
    p = crise.contenu(db, plan)
    role = p.roles[0]
    alerts = crise.alertes(db, plan, today=TODAY)
    assert any(a.sujet == f"Rôle « {role.libelle} »" and "aucun titulaire" in a.message for a in alerts)
    assert any(a.sujet == "Révision" and "non fixée" in a.message for a in alerts)

    crise.save_role(db, plan, crise.RoleData(role.code, role.libelle, role.mission, titulaire_id=gens["dir"],
                                             suppleants=[gens["adj"], gens["parti"]]), role.id)  # fmt: skip
    alerts = crise.alertes(db, plan, today=TODAY)
    mine = [a.message for a in alerts if a.sujet == f"Rôle « {role.libelle} »"]
    assert mine == ["le suppléant Paul ANCIEN est inactif dans l'annuaire"]
    assert crise.contenu(db, plan).roles[0].suppleants[0].nom == "Anne-Sophie VERLHAC"

    pd = crise.PlanData(
        nom="PGTHSSE Hôpital test", adopte_le=TODAY.replace(year=2025, month=6), cycle_revision_mois=12
    )
    crise.save_plan(db, pd, plan)
    alerts = crise.alertes(db, plan, today=TODAY)
    assert alerts[0].gravite == "erreur"
    assert any(a.sujet == "Révision" and "dépassée depuis le 01/06/2026" in a.message for a in alerts)
    crise.save_plan(db, replace(pd, cycle_revision_mois=24), plan)
    assert not any(a.sujet == "Révision" for a in crise.alertes(db, plan, today=TODAY))


def test_holder_cannot_be_own_deputy_and_codes_are_unique(
    db: Database, plan: int, gens: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="propre suppléant"):
        crise.save_role(
            db, plan, crise.RoleData("NEW", "Nouveau", titulaire_id=gens["dir"], suppleants=[gens["dir"]])
        )
    with pytest.raises(ValidationError, match="déjà celui"):
        crise.save_role(db, plan, crise.RoleData("dir", "Doublon"))


def test_fiche_tasks_are_ordered_by_phase(db: Database, plan: int) -> None:
    role = crise.contenu(db, plan).roles[2]
    fid = crise.save_fiche(db, plan, crise.FicheData("Fiche test", role.id, taches=[
        crise.TacheData("levee", "Ranger"), crise.TacheData("immediat", "Alerter", "DIR"), crise.TacheData("immediat", "Compter"),
    ]))  # fmt: skip
    f = next(x for x in crise.contenu(db, plan).fiches if x.id == fid)
    assert [t.texte for t in f.taches] == ["Alerter", "Compter", "Ranger"]
    with pytest.raises(ValidationError, match="Tâche 1 : le texte"):
        crise.save_fiche(
            db, plan, crise.FicheData("Vide", role.id, taches=[crise.TacheData("immediat", " ")])
        )


def test_directory_sorted_by_function_with_call_back_plan(db: Database, plan: int) -> None:
    a = crise.save_contact(
        db, plan, crise.ContactData("Directeur de garde", "cellule", "Claire MONTVALLON", tel="0612345678")
    )
    crise.save_contact(
        db, plan, crise.ContactData("Cadre de garde", "cellule", "Élodie CARRÈRE", tel="15", appele_par_id=a)
    )
    with pytest.raises(ValidationError, match="10 chiffres"):
        crise.save_contact(db, plan, crise.ContactData("Faux", "cellule", tel="01 23 45 67"))
    p = crise.contenu(db, plan)
    cell = [c for c in p.contacts if c.categorie == "cellule"]
    assert [c.fonction for c in cell] == ["Cadre de garde", "Directeur de garde"]
    assert cell[1].tel == "06 12 34 56 78" and cell[0].tel == "15"
    assert cell[0].appele_par == "Directeur de garde — Claire MONTVALLON"
    assert p.contacts[0].categorie == "cellule"  # the cell before the authorities of the template


def test_rules_due_dates() -> None:
    assert rules.add_months(TODAY.replace(month=1, day=31), 1) == TODAY.replace(month=2, day=28)
    assert rules.etat_echeance(TODAY, TODAY) == "proche"
    assert rules.controle_echeances(None, TODAY.replace(year=2025, month=1), TODAY)[-1].message.startswith(
        "exercice annuel en retard"
    )


def test_exercise_cycle_is_configurable(db: Database, plan: int) -> None:
    pd = crise.plan_data(db, plan)
    crise.save_exercice(db, plan, crise.ExerciceData("Exercice sur table", TODAY.replace(year=2026, month=3)))
    assert not any(a.sujet == "Exercice" for a in crise.alertes(db, plan, today=TODAY))
    crise.save_plan(db, replace(pd, cycle_exercice_mois=6), plan)
    assert any(
        a.sujet == "Exercice" and "dû le 01/09/2026" in a.message
        for a in crise.alertes(db, plan, today=TODAY)
    )
    with pytest.raises(ValidationError, match="cycle des exercices"):
        crise.save_plan(db, replace(pd, cycle_exercice_mois=0), plan)
