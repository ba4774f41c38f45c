"""PAQSS services: editor rules, list filters in SQL, bulk change in one transaction, journal, links, evidence."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.errors import UserError, ValidationError
from qualite_app.paqss import rules as r
from qualite_app.paqss import services as paqss
from qualite_app.storage.database import Database

TODAY = date(2026, 6, 15)


def _action(structure: dict[str, int], **kw: object) -> paqss.ActionData:
    base = dict(objectif_id=structure["objectif"], titre="Former les nouveaux arrivants", pilote_id=structure["medecin"],
                copilote_id=structure["admin"], date_debut=date(2026, 1, 10), echeance=date(2026, 5, 31))  # fmt: skip
    base.update(kw)
    return paqss.ActionData(**base)  # type: ignore[arg-type]


def test_create_generates_reference_and_keeps_tandem(db: Database, structure: dict[str, int]) -> None:
    aid = paqss.save_action(db, _action(structure), today=TODAY)
    b = paqss.save_action(db, _action(structure, titre="Deuxième"), today=TODAY)
    a = paqss.get_action(db, aid)
    assert a.reference == "PAQSS-2026-001"
    assert paqss.get_action(db, b).reference == "PAQSS-2026-002"
    assert (a.pilote_id, a.copilote_id) == (structure["medecin"], structure["admin"])
    row = paqss.list_actions(db, today=TODAY)[0]
    assert (row.pilote, row.copilote) == ("Hélène BRÉVANNE", "Julien ARSAC")
    assert row.en_retard(TODAY)



def test_creation_journals_its_objective_and_numbers_in_its_programmes_year(db: Database, structure: dict[str, int]) -> None:
    """A creation reads its objective, its year and the highest references in one go (one trip on PostgreSQL):
    the journal still names the objective; a programme starting next year numbers in that year; an objective
    deleted meanwhile is refused beside its field."""
    from qualite_app.socle import journal

    aid = paqss.save_action(db, _action(structure), today=TODAY)
    (line,) = journal.list_entries(db, entite_table="paqss_action", entite_id=aid)
    assert "Objectif : A1.1 Déclarer les EI" in line.nouvelle_valeur.split(" · ")
    prog = paqss.save_programme(db, "PAQSS 2027", date(2027, 1, 1), date(2027, 12, 31))
    obj = paqss.save_objectif(db, paqss.save_axe(db, prog, "Parcours", "B1"), "Sortie", "B1.1")
    b = paqss.save_action(db, _action(structure, objectif_id=obj, titre="Anticipée"), today=TODAY)
    c = paqss.save_action(db, _action(structure, titre="Troisième"), today=TODAY)
    assert [paqss.get_action(db, x).reference for x in (b, c)] == ["PAQSS-2027-001", "PAQSS-2026-002"]
    with pytest.raises(ValidationError) as e:
        paqss.save_action(db, _action(structure, objectif_id=obj + 1000), today=TODAY)
    assert set(e.value.errors) == {"objectif_id"}


def test_an_action_read_back_has_each_milestone_and_team_member_once_in_order(db: Database, structure: dict[str, int]) -> None:
    """Milestones, extra co-pilots and extra services come back from one query (their rows multiply): each once,
    the milestones by date (undated ones where the engine sorts empty dates), the team sorted."""
    from qualite_app.etablissement import annuaire
    from qualite_app.etablissement import identite as etablissement

    p1 = annuaire.save_personne(db, annuaire.PersonneData(nom="CAZALS", prenom="Inès"))
    p2 = annuaire.save_personne(db, annuaire.PersonneData(nom="DURIEUX", prenom="Marc"))
    s1, s2 = (etablissement.save_service(db, n, None) for n in ("Urgences", "Bloc opératoire"))
    jalons = [paqss.JalonData("Troisième", date(2026, 4, 1)), paqss.JalonData("Premier", date(2026, 2, 1), True, date(2026, 2, 3)),
              paqss.JalonData("Deuxième", date(2026, 3, 1))]  # fmt: skip
    aid = paqss.save_action(db, _action(structure, jalons=jalons, autres_copilotes=[p2, p1], autres_services=[s2, s1]), today=TODAY)
    a = paqss.get_action(db, aid)
    assert [(j.libelle, j.fait, j.fait_le) for j in a.jalons] == [("Premier", True, date(2026, 2, 3)), ("Deuxième", False, None), ("Troisième", False, None)]
    assert all(j.id is not None for j in a.jalons) and len({j.id for j in a.jalons}) == 3
    assert a.autres_copilotes == sorted([p1, p2]) and a.autres_services == sorted([s1, s2])
    assert (a.reference, a.titre, a.version) == ("PAQSS-2026-001", "Former les nouveaux arrivants", 1)
    a.jalons[1].fait = True  # saved back as read: nothing lost, nothing doubled
    paqss.save_action(db, a, today=TODAY)
    b = paqss.get_action(db, aid)
    assert [j.fait for j in b.jalons] == [True, True, False] and b.autres_copilotes == a.autres_copilotes
    with pytest.raises(UserError):
        paqss.get_action(db, aid + 1000)

def test_validation_names_each_field(db: Database, structure: dict[str, int]) -> None:
    paqss.save_action(db, _action(structure, reference="X-1"), today=TODAY)
    with pytest.raises(ValidationError) as e:
        paqss.save_action(db, _action(structure, titre=" ", reference="X-1", echeance=date(2025, 1, 1), copilote_id=structure["medecin"],
                                      statut=r.ABANDONNEE), today=TODAY)  # fmt: skip
    assert set(e.value.errors) == {"titre", "reference", "echeance", "copilote_id", "motif_statut"}
    assert "déjà utilisée" in e.value.errors["reference"]
    assert len(paqss.list_actions(db)) == 1


def test_realisee_with_open_milestone_asks_then_closes(db: Database, structure: dict[str, int]) -> None:
    d = _action(
        structure,
        jalons=[
            paqss.JalonData("Rédiger la procédure", date(2026, 3, 1)),
            paqss.JalonData("Former", date(2026, 4, 1), True),
        ],
    )
    aid = paqss.save_action(db, d, today=TODAY)
    d = paqss.get_action(db, aid)
    d.statut = r.REALISEE
    with pytest.raises(paqss.ConfirmationNecessaire, match="1 jalon non fait"):
        paqss.save_action(db, d, today=TODAY)
    paqss.save_action(db, d, confirme=True, today=TODAY)
    a = paqss.get_action(db, aid)
    assert (a.statut, a.avancement, a.realisee_le) == (r.REALISEE, 100, TODAY)
    assert [j.fait for j in a.jalons] == [False, True]


def test_filters_run_in_sql(db: Database, structure: dict[str, int]) -> None:
    ids = [
        paqss.save_action(
            db, _action(structure, titre="Sécuriser l'identitovigilance"), today=TODAY
        ),  # overdue
        paqss.save_action(
            db,
            _action(
                structure,
                titre="Audit douleur",
                echeance=date(2026, 7, 1),
                pilote_id=structure["admin"],
                copilote_id=None,
            ),
            today=TODAY,
        ),
        paqss.save_action(
            db, _action(structure, titre="Sans date", echeance=None, source="iqss", priorite=1), today=TODAY
        ),
        paqss.save_action(db, _action(structure, titre="Fini", statut=r.REALISEE), today=TODAY),
    ]
    f = paqss.ActionFilter
    titles = lambda flt: [x.titre for x in paqss.list_actions(db, flt, tri="titre", today=TODAY)]  # noqa: E731
    assert titles(f(texte="IDENTITOVIGILANCE")) == ["Sécuriser l'identitovigilance"]
    assert titles(f(texte="helene")) == [
        "Fini",
        "Sans date",
        "Sécuriser l'identitovigilance",
    ]  # pilot name, accents ignored
    assert titles(f(echeance="en_retard")) == ["Sécuriser l'identitovigilance"]
    assert titles(f(echeance="30_jours")) == ["Audit douleur"]
    assert titles(f(echeance="sans_echeance")) == ["Sans date"]
    assert titles(f(source="iqss", priorite=1)) == ["Sans date"]
    assert titles(f(statuts=frozenset({r.REALISEE}))) == ["Fini"]
    assert len(titles(f(pilote_id=structure["admin"]))) == 4  # pilot OR co-pilot
    assert titles(f(texte="100%_")) == []  # LIKE wildcards are escaped
    desc = paqss.list_actions(db, tri="echeance", decroissant=True, today=TODAY)
    assert desc[-1].titre == "Sans date"  # empty deadlines last
    assert {x.id for x in paqss.list_actions(db, f(ids=frozenset(ids[:2])))} == set(ids[:2])


def test_bulk_change_is_one_journaled_transaction(db: Database, structure: dict[str, int]) -> None:
    ids = [paqss.save_action(db, _action(structure, titre=f"Action {i}"), today=TODAY) for i in range(3)]
    assert paqss.bulk_update(db, ids, statut=r.EN_COURS, today=TODAY) == 3
    assert {a.statut for a in paqss.list_actions(db)} == {r.EN_COURS}
    for aid in ids:
        lines = paqss.journal(db, aid)
        assert any(
            j.champ == "Statut" and j.ancienne_valeur == "À lancer" and j.nouvelle_valeur == "En cours"
            for j in lines
        )
    # one refusal cancels all: the 3rd action cannot be « reportée » without a reason
    with pytest.raises(UserError, match="motif"):
        paqss.bulk_update(db, ids, statut=r.REPORTEE, today=TODAY)
    assert {a.statut for a in paqss.list_actions(db)} == {r.EN_COURS}
    paqss.bulk_update(
        db, ids[:2], pilote_id=structure["admin"], echeance_revisee=date(2026, 12, 1), today=TODAY
    )
    a = paqss.get_action(db, ids[0])
    assert (a.pilote_id, a.copilote_id, a.echeance, a.echeance_revisee) == (
        structure["admin"],
        None,
        date(2026, 5, 31),
        date(2026, 12, 1),
    )


def test_summary_strip(db: Database, structure: dict[str, int]) -> None:
    paqss.save_action(db, _action(structure), today=TODAY)  # overdue
    paqss.save_action(
        db, _action(structure, titre="b", echeance=date(2026, 6, 20)), today=TODAY
    )  # this month
    paqss.save_action(db, _action(structure, titre="c", statut=r.REALISEE), today=TODAY)
    s = paqss.summary(db, structure["programme"], today=TODAY)
    assert (s.total, s.en_retard, s.ce_mois) == (3, 1, 1)
    assert s.par_statut[r.REALISEE] == 1 and s.par_statut[r.A_LANCER] == 2
    assert s.taux_annee == pytest.approx(100 / 3)


def test_comments_evidence_and_indicator_links(db: Database, structure: dict[str, int]) -> None:
    aid = paqss.save_action(db, _action(structure), today=TODAY)
    paqss.add_comment(db, aid, "Point fait en COPIL")
    assert [c.texte for c in paqss.comments(db, aid)] == ["Point fait en COPIL"]
    assert "Camille Testeur" in paqss.comments(db, aid)[0].auteur
    paqss.add_evidence(db, aid, b"%PDF-1.4 preuve", "procedure.pdf")
    paqss.add_evidence(db, aid, b"%PDF-1.4 preuve", "procedure.pdf")  # same file twice: one link
    ev = paqss.evidence(db, aid)
    assert [(e.nom, e.taille) for e in ev] == [("procedure.pdf", 15)]
    paqss.remove_evidence(db, ev[0].lien_id)
    assert paqss.evidence(db, aid) == []
    paqss.link_indicator(db, aid, 42)
    assert paqss.actions_for_indicator(db, 42) == [
        ("PAQSS-2026-001", "Former les nouveaux arrivants", date(2026, 1, 10))
    ]
    assert paqss.actions_for_indicator(db, 7) == []
    kinds = {(j.entite_type, j.action) for j in paqss.journal(db, aid)}
    assert ("Commentaire PAQSS", "création") in kinds and ("Action PAQSS", "création") in kinds


def test_demo_has_every_status_tandems_and_overdue(demo_db: Database) -> None:
    s = paqss.summary(demo_db)
    assert 75 <= s.total <= 130  # the programme, plus the actions born from the other areas (findings, analyses, RETEX, risks)
    assert all(n > 0 for n in s.par_statut.values())
    assert s.en_retard > 0
    tree = paqss.tree(demo_db)
    assert 5 <= len(tree[0].axes) <= 7
    rows = paqss.list_actions(demo_db)
    assert sum(1 for x in rows if x.pilote and x.copilote) > 20
    from qualite_app import demo

    assert "PAQSS" not in " ".join(demo.load_demo(demo_db).steps)  # idempotent


def test_timeline_groups_by_axis_with_milestones(db: Database, structure: dict[str, int]) -> None:
    axe2 = paqss.save_axe(db, structure["programme"], "Médicament", "A2")
    obj2 = paqss.save_objectif(db, axe2, "Conciliation", "A2.1")
    a = paqss.save_action(
        db,
        _action(
            structure, jalons=[paqss.JalonData("Audit", date(2026, 3, 1), True), paqss.JalonData("Sans date")]
        ),
        today=TODAY,
    )
    b = paqss.save_action(
        db,
        _action(
            structure,
            objectif_id=obj2,
            titre="Conciliation",
            echeance=date(2026, 9, 1),
            echeance_revisee=date(2026, 12, 1),
        ),
        today=TODAY,
    )
    rows = paqss.timeline(db, today=TODAY)
    assert [(r.id, r.axe) for r in rows] == [(a, "A1 Culture de sécurité"), (b, "A2 Médicament")]
    assert rows[0].en_retard and rows[0].jalons == [(date(2026, 3, 1), True, "Audit")]
    assert (rows[1].fin, rows[1].echeance_initiale, rows[1].en_retard) == (
        date(2026, 12, 1),
        date(2026, 9, 1),
        False,
    )


def test_indicator_link_read_in_both_directions(db: Database, structure: dict[str, int]) -> None:
    from qualite_app.socle import liens as links

    aid = paqss.save_action(db, _action(structure), today=TODAY)
    with db.unit_of_work() as s:
        links.link(s, "indicateur", 9, paqss.ACTION_TYPE, aid, "suivi")  # made from the indicator's side
    assert [r[0] for r in paqss.actions_for_indicator(db, 9)] == ["PAQSS-2026-001"]
    paqss.delete_action(db, aid)
    assert paqss.actions_for_indicator(db, 9) == []


def test_extra_copilots_and_services_saved_filtered_and_journaled(
    db: Database, structure: dict[str, int]
) -> None:
    from qualite_app.etablissement import annuaire
    from qualite_app.etablissement import identite as etablissement

    tiers = annuaire.save_personne(db, annuaire.PersonneData(nom="CAZALS", prenom="Inès"))
    quart = annuaire.save_personne(db, annuaire.PersonneData(nom="DURIEUX", prenom="Marc"))
    urg = etablissement.save_service(db, "Urgences", None)
    bloc = etablissement.save_service(db, "Bloc opératoire", None)
    other = paqss.save_action(db, _action(structure, titre="Autre"), today=TODAY)
    # the pilot repeated among the extras and a duplicate are dropped
    aid = paqss.save_action(
        db,
        _action(structure, service_id=urg, autres_copilotes=[tiers, tiers, structure["medecin"]],
                autres_services=[bloc, urg]),
        today=TODAY,
    )  # fmt: skip
    a = paqss.get_action(db, aid)
    assert a.autres_copilotes == [tiers] and a.autres_services == [bloc]
    ids = {r.id for r in paqss.list_actions(db, paqss.ActionFilter(pilote_id=tiers), today=TODAY)}
    assert ids == {aid}
    assert {r.id for r in paqss.list_actions(db, paqss.ActionFilter(service_id=bloc), today=TODAY)} == {aid}
    assert {r.id for r in paqss.list_actions(db, paqss.ActionFilter(service_id=urg), today=TODAY)} == {aid}
    assert other not in ids
    # replace: tiers out, quart in — each change journaled under the action
    a.autres_copilotes = [quart]
    a.autres_services = []
    paqss.save_action(db, a, today=TODAY)
    b = paqss.get_action(db, aid)
    assert b.autres_copilotes == [quart] and b.autres_services == []
    assert paqss.list_actions(db, paqss.ActionFilter(pilote_id=tiers), today=TODAY) == []
    lines = [(j.action, j.entite_type, j.entite_libelle) for j in paqss.journal(db, aid)]
    ref = a.reference
    assert ("création", "Copilote d'action PAQSS", f"{ref} — Inès CAZALS") in lines
    assert ("suppression", "Copilote d'action PAQSS", f"{ref} — Inès CAZALS") in lines
    assert ("création", "Copilote d'action PAQSS", f"{ref} — Marc DURIEUX") in lines
    assert ("suppression", "Service d'action PAQSS", f"{ref} — Bloc opératoire") in lines
    with pytest.raises(ValidationError):
        paqss.save_action(db, _action(structure, autres_copilotes=[99999]), today=TODAY)
    paqss.delete_action(db, aid)
    assert paqss.list_actions(db, paqss.ActionFilter(pilote_id=quart), today=TODAY) == []


def test_enregistrer_action_service_is_all_or_nothing(db: Database, structure: dict[str, int]) -> None:
    d = paqss.ActionData(objectif_id=structure["objectif"], titre="Audit des chariots d'urgence")
    with pytest.raises(UserError, match="vide"):
        paqss.enregistrer_action(db, d, ["Premier passage"], [("vide.pdf", b"")], confirme=True)
    assert [a.id for a in paqss.list_actions(db) if a.titre == d.titre] == []
    aid = paqss.enregistrer_action(db, d, ["Premier passage"], [("cr.pdf", b"%PDF")], confirme=True)
    assert [c.texte for c in paqss.comments(db, aid)] == ["Premier passage"]
    assert [e.nom for e in paqss.evidence(db, aid)] == ["cr.pdf"]
