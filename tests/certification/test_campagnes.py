"""Campaigns: answers, validation, the grid and its filters, scores computed by hand, the projected
decision, comparison, evidence, a non-conformity made a PAQSS action."""

from __future__ import annotations

from datetime import date

import pytest

from qualite_app.certification import campagnes, preuves, rules, scores
from qualite_app.certification.campagnes import GrilleFiltre, Reponse
from qualite_app.errors import UserError, ValidationError
from qualite_app.storage.database import Database

from .conftest import Mini


def test_scores_by_hand(db: Database, mini: Mini) -> None:
    def a(ref: str, v: str) -> int:
        return campagnes.repondre(
            db, mini.campagne_id, mini.ids[ref], Reponse(v, motif_na="hors champ" if v == "na" else None)
        )

    a("1.1-01-EE1", "conforme")
    a("1.1-01-EE2", "partiel")  # 1.1-01 = (1 + 0,5) / 2 = 75 %
    a("1.1-02-EE1", "non_conforme")
    a("1.1-02-EE2", "na")  # 1.1-02 = 0 % (N/A excluded)
    a("1.1-03-EE1", "conforme")  # avancé: 100 %, excluded from the objective
    a("2.1-01-EE1", "conforme")  # 2.1-01 = 100 % (one element unanswered)
    syn = scores.synthese(db, mini.campagne_id, le=date(2026, 6, 1))
    crit = {c.ref: c for c in syn.criteres}
    assert (crit["1.1-01"].satisfaction, crit["1.1-02"].satisfaction, crit["1.1-03"].satisfaction) == (
        75.0,
        0.0,
        100.0,
    )
    obj = {o.ref: o for o in syn.objectifs}
    assert obj["1.1"].satisfaction == 37.5  # mean of 75 and 0, the avancé left out
    chap = {c.ref: c for c in syn.chapitres}
    assert (chap["1"].satisfaction, chap["2"].satisfaction) == (37.5, 100.0)
    assert syn.global_pct == 68.8  # (37,5 + 100) / 2 = 68,75
    assert (syn.evalues, syn.a_evaluer) == (6, 7)
    assert syn.imperatifs_non_atteints == []  # partial is not « non conforme »
    assert syn.projection.decision == "sous_conditions"
    a("1.1-01-EE2", "non_conforme")
    syn = scores.synthese(db, mini.campagne_id)
    assert [c.ref for c in syn.imperatifs_non_atteints] == ["1.1-01"]
    assert any("1.1-01" in t for t in syn.a_faire)


def test_decision_thresholds_are_configurable() -> None:
    s = rules.Seuils()
    assert rules.projected_decision(95, {"1": 95, "2": 90}, 0, 3, 5, s).decision == "mention"
    assert rules.projected_decision(95, {"1": 95, "2": 90}, 0, 1, 5, s).decision == "certifie"
    assert rules.projected_decision(95, {"1": 95, "2": 90}, 1, 5, 5, s).decision == "sous_conditions"
    assert rules.projected_decision(95, {"1": 95}, 4, 5, 5, s).decision == "non_certifie"
    assert rules.projected_decision(40, {"1": 40}, 0, 0, 5, s).decision == "non_certifie"
    strict = rules.Seuils(mention_chapitre=96.0)
    assert rules.projected_decision(95, {"1": 95, "2": 90}, 0, 3, 5, strict).decision == "certifie"
    assert rules.projected_decision(None, {}, 0, 0, 0, s).decision == "indetermine"


def test_thresholds_stored_per_campaign(db: Database, mini: Mini) -> None:
    campagnes.regler_seuils(db, mini.campagne_id, rules.Seuils(certifie_global=90.0))
    assert campagnes.seuils(db, mini.campagne_id).certifie_global == 90.0
    with pytest.raises(ValidationError, match="entre 0 et 100"):
        campagnes.regler_seuils(db, mini.campagne_id, rules.Seuils(certifie_global=140.0))


def test_answers_are_checked(db: Database, mini: Mini) -> None:
    with pytest.raises(ValidationError, match="1.1-01-EE1 : « non applicable » demande un motif"):
        campagnes.repondre(db, mini.campagne_id, mini.ids["1.1-01-EE1"], Reponse("na"))
    with pytest.raises(UserError, match="ne se cote pas"):
        campagnes.repondre(db, mini.campagne_id, mini.ids["1.1-01"], Reponse("conforme"))
    with pytest.raises(ValidationError, match="inconnue"):
        campagnes.repondre(db, mini.campagne_id, mini.ids["1.1-01-EE1"], Reponse("oui"))
    assert all(r.valeur is None for r in campagnes.grille(db, mini.campagne_id))


def test_grid_filters(db: Database, mini: Mini) -> None:
    campagnes.repondre(
        db, mini.campagne_id, [mini.ids["1.1-01-EE1"], mini.ids["2.1-01-EE1"]], Reponse("conforme")
    )
    g = campagnes.grille(db, mini.campagne_id)
    assert len(g) == 7 and g[0].critere_ref == "1.1-01" and g[0].chapitre_ref == "1"
    assert len(campagnes.grille(db, mini.campagne_id, GrilleFiltre(chapitre="2"))) == 2
    assert len(campagnes.grille(db, mini.campagne_id, GrilleFiltre(niveau="imperatif"))) == 2
    assert len(campagnes.grille(db, mini.campagne_id, GrilleFiltre(methode="audit_systeme"))) == 2
    assert len(campagnes.grille(db, mini.campagne_id, GrilleFiltre(cible="patient", repondu=False))) == 4
    assert [r.ref for r in campagnes.grille(db, mini.campagne_id, GrilleFiltre(repondu=True))] == [
        "1.1-01-EE1",
        "2.1-01-EE1",
    ]


def test_evidence_versions_and_validity(db: Database, mini: Mini) -> None:
    data = preuves.PreuveData("Procédure identitovigilance", date(2025, 3, 1), date(2026, 3, 1))
    pid = preuves.ajouter_fichier(
        db, b"%PDF-1.4 v1", "procedure.pdf", data, [mini.ids["1.1-01"], mini.ids["2.1-01"]]
    )
    assert preuves.remplacer(db, pid, b"%PDF-1.4 v2", "procedure-v2.pdf") == 2
    assert [v[0] for v in preuves.versions(db, pid)] == [1, 2]
    row = preuves.lister(db, mini.ids["1.1-01"])[0]
    assert row.version == 2 and row.nom_fichier == "procedure-v2.pdf" and row.criteres == ["1.1-01", "2.1-01"]
    assert row.date_preuve == date(2025, 3, 1) and row.depose_le.date() != row.date_preuve
    assert row.expiree(date(2026, 6, 1)) and not row.expiree(date(2026, 1, 1))
    assert len(campagnes.grille(db, mini.campagne_id, GrilleFiltre(avec_preuve=True))) == 4
    syn = scores.synthese(db, mini.campagne_id, le=date(2026, 1, 1))
    assert {c.ref: c.criteres_preuve_valide for c in syn.chapitres} == {"1": 1, "2": 1}
    syn = scores.synthese(db, mini.campagne_id, le=date(2026, 6, 1))
    assert syn.preuves_expirees == 1 and {c.ref: c.criteres_preuve_valide for c in syn.chapitres} == {
        "1": 0,
        "2": 0,
    }
    with pytest.raises(ValidationError, match="précède"):
        preuves.ajouter_fichier(
            db, b"x", "x.pdf", preuves.PreuveData("X", date(2026, 1, 2), date(2026, 1, 1)), []
        )


def test_drop_preview_and_bulk_attach(db: Database, mini: Mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path / "Preuves chapitre 1"
    (d / "sous").mkdir(parents=True)
    (d / "compte_rendu_CDU.pdf").write_bytes(b"%PDF cdu")
    (d / "sous" / "audit.png").write_bytes(b"\x89PNG audit")
    (d / ".cache").write_bytes(b"hidden")
    pv = preuves.apercu_depot([d])
    assert [f.nom for f in pv] == ["compte_rendu_CDU.pdf", "audit.png"]
    ids = preuves.deposer(db, pv, [mini.ids["1.1-02"]], date_preuve=date(2026, 2, 1))
    assert len(ids) == 2 and preuves.compter(db) == 2


def test_compare_two_campaigns(db: Database, mini: Mini) -> None:
    campagnes.repondre(db, mini.campagne_id, mini.ids["1.1-02-EE1"], Reponse("non_conforme"))
    campagnes.repondre(db, mini.campagne_id, mini.ids["2.1-01-EE1"], Reponse("conforme"))
    c2 = campagnes.creer_campagne(db, "Autoévaluation 2027", mini.referentiel_id)
    campagnes.repondre(db, c2, mini.ids["1.1-02-EE1"], Reponse("conforme"))
    campagnes.repondre(db, c2, mini.ids["2.1-01-EE1"], Reponse("partiel"))
    ecarts = {e.ref: e for e in scores.comparer(db, mini.campagne_id, c2)}
    assert ecarts["1.1-02"].sens == "amélioré" and ecarts["2.1-01"].sens == "dégradé"
    assert list(ecarts)[0] == "2.1-01"  # the falls first


def test_non_conformity_becomes_a_paqss_action(db: Database, mini: Mini) -> None:
    from qualite_app.paqss import services as paqss

    prog = paqss.save_programme(db, "PAQSS 2026", date(2026, 1, 1), date(2026, 12, 31))
    paqss.save_objectif(
        db, paqss.save_axe(db, prog, "Certification", "A1"), "Écarts de certification", "A1.1"
    )
    campagnes.repondre(
        db, mini.campagne_id, mini.ids["1.1-01-EE2"], Reponse("non_conforme", commentaire="Bracelets absents")
    )
    aid = scores.action_pour_non_conformite(db, mini.campagne_id, mini.ids["1.1-01-EE2"])
    linked = scores.actions_du_critere(db, mini.ids["1.1-01"])
    assert [a.id for a in linked] == [aid]  # type: ignore[attr-defined]
    a = paqss.get_action(db, aid)
    assert a.source == "certification" and a.titre.startswith("1.1-01") and a.priorite == 1


def test_campaign_dates_and_scope(db: Database, mini: Mini) -> None:
    campagnes.modifier_campagne(db, mini.campagne_id, nom="Autoévaluation 2026 bis", debut=date(2026, 1, 5),
                                fin=date(2026, 5, 30), date_visite=date(2026, 6, 15), sites="Site A", secteurs="MCO")  # fmt: skip
    c = campagnes.campagne(db, mini.campagne_id)
    assert (c.nom, c.date_visite, c.sites, c.secteurs) == (
        "Autoévaluation 2026 bis",
        date(2026, 6, 15),
        "Site A",
        "MCO",
    )
    with pytest.raises(ValidationError, match="précède le début"):
        campagnes.modifier_campagne(
            db, mini.campagne_id, nom="X", debut=date(2026, 5, 1), fin=date(2026, 4, 1), date_visite=None
        )
    campagnes.creer_campagne(db, "Autre", mini.referentiel_id)
    with pytest.raises(ValidationError, match="s'appelle déjà"):
        campagnes.modifier_campagne(db, mini.campagne_id, nom="Autre", debut=None, fin=None, date_visite=None)


def test_answers_are_journaled_in_french(db: Database, mini: Mini) -> None:
    from qualite_app.socle import journal

    nid = mini.ids["1.1-01-EE1"]
    campagnes.repondre(db, mini.campagne_id, nid, Reponse("conforme"))
    campagnes.repondre(db, mini.campagne_id, nid, Reponse("non_conforme", commentaire="Bracelet absent"))
    rows = [r for r in journal.list_entries(db) if r.entite_type == "Réponse d'autoévaluation"]
    change = next(r for r in rows if r.champ == "Réponse" and r.action == "modification")
    assert (change.ancienne_valeur, change.nouvelle_valeur) == ("Conforme", "Non conforme")
    assert change.entite_libelle == "1.1-01-EE1"


def test_a_drop_is_all_or_nothing(db: Database, mini: Mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "a.pdf"
    good.write_bytes(b"%PDF a")
    gone = tmp_path / "b.pdf"
    gone.write_bytes(b"%PDF b")
    pv = preuves.apercu_depot([good, gone])
    gone.unlink()  # removed between the preview and the attach
    with pytest.raises(UserError, match="b.pdf"):
        preuves.deposer(db, pv, [mini.ids["1.1-01"]])
    assert preuves.compter(db) == 0


def test_evidence_serving_two_criteria_counts_once(db: Database, mini: Mini) -> None:
    from datetime import timedelta

    today = date(2026, 6, 1)
    campagnes.modifier_campagne(
        db, mini.campagne_id, nom="C", debut=None, fin=None, date_visite=today + timedelta(days=60)
    )
    d = preuves.PreuveData
    both = [mini.ids["1.1-01"], mini.ids["2.1-01"]]
    preuves.ajouter_fichier(
        db, b"old", "old.pdf", d("Expirée", date(2024, 1, 1), today - timedelta(days=1)), both
    )
    preuves.ajouter_fichier(
        db, b"soon", "soon.pdf", d("Bientôt", date(2025, 1, 1), today + timedelta(days=10)), both
    )
    syn = scores.synthese(db, mini.campagne_id, le=today)
    assert (syn.preuves_expirees, syn.preuves_a_renouveler) == (1, 1)
    assert (
        "Renouveler 1 preuve(s)" in " ".join(syn.a_faire)
        and "Remplacer 1 preuve(s) expirée(s)" in syn.a_faire
    )
    assert {c.ref: c.preuves_expirant for c in syn.chapitres} == {"1": 1, "2": 1}


def test_drop_proposes_the_file_date_and_properties_can_change(db: Database, mini: Mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    f = tmp_path / "charte.pdf"
    f.write_bytes(b"%PDF charte")
    os.utime(f, (0, 1_700_000_000))  # 14/11/2023
    pv = preuves.apercu_depot([f])
    assert pv[0].date == date(2023, 11, 14) or pv[0].date == date(2023, 11, 15)  # local time zone
    (pid,) = preuves.deposer(db, pv, [mini.ids["1.1-01"]])
    assert preuves.donnees(db, pid).date_preuve == pv[0].date
    preuves.modifier(
        db, pid, preuves.PreuveData("Charte signée", date(2023, 11, 1), date(2026, 11, 1), None, "public")
    )
    d = preuves.donnees(db, pid)
    assert (d.titre, d.valide_jusqu_au, d.confidentialite) == ("Charte signée", date(2026, 11, 1), "public")


def test_next_visit_and_evidence_expiring_before_it(db: Database, mini: Mini) -> None:
    """The home page's two bounded questions: the nearest visit to come, the evidence that ends before it
    (soonest first, at most ``limite`` read, all of them counted)."""
    assert campagnes.prochaine_visite(db, date(2026, 1, 1)) is None
    campagnes.modifier_campagne(db, mini.campagne_id, nom="Autoévaluation 2026", debut=None, fin=None,
                                date_visite=date(2026, 6, 15))  # fmt: skip
    autre = campagnes.creer_campagne(db, "Visite passée", mini.referentiel_id)
    campagnes.modifier_campagne(
        db, autre, nom="Visite passée", debut=None, fin=None, date_visite=date(2025, 6, 1)
    )
    assert campagnes.prochaine_visite(db, date(2026, 1, 1)) == (mini.campagne_id, date(2026, 6, 15))
    assert campagnes.prochaine_visite(db, date(2026, 6, 16)) is None
    crit = [mini.ids["1.1-01"]]
    ids = {}
    for titre, fin in (("Sans fin", None), ("Après", date(2026, 9, 1)), ("Le jour même", date(2026, 6, 15)),
                       ("Tôt", date(2026, 2, 1)), ("Expirée", date(2025, 12, 1))):  # fmt: skip
        ids[titre] = preuves.ajouter_fichier(
            db, titre.encode(), f"{titre}.pdf", preuves.PreuveData(titre, date(2025, 1, 1), fin), crit
        )
    rows, total = preuves.expirant_avant(db, date(2026, 6, 15), 10)
    assert [r[1] for r in rows] == ["Expirée", "Tôt", "Le jour même"] and total == 3
    assert rows[0] == (ids["Expirée"], "Expirée", date(2025, 12, 1))
    rows, total = preuves.expirant_avant(db, date(2026, 6, 15), 2)
    assert [r[1] for r in rows] == ["Expirée", "Tôt"] and total == 3
