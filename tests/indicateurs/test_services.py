"""Indicator services: definitions and targets, results, series, cards, rebases, saved dashboards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qualite_app.errors import UserError, ValidationError
from qualite_app.indicateurs import demo as demo_ind
from qualite_app.indicateurs import services as svc
from qualite_app.rules import periodes
from qualite_app.storage.database import Database

CAL = demo_ind.calendrier(date.today())  # the demo fixtures are loaded today: their series end last month


@pytest.mark.parametrize(
    ("text", "code"),
    [("2024-03", "2024-03"), ("03/2024", "2024-03"), ("2024-T2", "2024-T2"), ("T2 2024", "2024-T2"), ("2024Q4", "2024-T4"),
     ("2024-S1", "2024-S1"), ("2024", "2024"), (2024, "2024"), ("15/03/2024", "2024-03"), (date(2024, 3, 9), "2024-03")],
)  # fmt: skip
def test_periods(text: object, code: str) -> None:
    assert periodes.parse(text).code == code


def test_period_errors_and_series() -> None:
    with pytest.raises(ValueError, match="n'est pas une période reconnue"):
        periodes.parse("mars")
    s = periodes.serie(periodes.parse("2023-11"), periodes.parse("2024-02"))
    assert [p.code for p in s] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert periodes.parse("2024-T4").suivante().code == "2025-T1"
    assert periodes.parse("2024-03").libelle == "mars 2024"


@pytest.mark.parametrize(("text", "value"), [("12,5", 12.5), ("1 234,5", 1234.5), ("87 %", 87.0), ("1.234,5", 1234.5), ("", None), (3, 3.0)])
def test_parse_nombre(text: object, value: float | None) -> None:
    assert svc.parse_nombre(text) == value


def test_catalogue_is_valid_and_followable(db: Database) -> None:
    codes = {e.code for e in svc.catalogue()}
    assert {"ICSHA", "ESATIS48H-MCO", "QLS-MCO", "ETE-ORTHO"} <= codes
    assert all(e.sens in svc.SENS for e in svc.catalogue())
    assert svc.suivre_catalogue(db, ["ICSHA"]) == ["ICSHA"]
    assert svc.suivre_catalogue(db, ["ICSHA"]) == []  # already followed
    with pytest.raises(UserError):
        svc.suivre_catalogue(db, ["PAS-UN-CODE"])


def test_targets_with_validity_and_state(db: Database) -> None:
    data = svc.IndicateurData(code="hh", libelle="Hygiène des mains", sens="hausse", type="taux", periodicite="mensuelle")
    data.cibles = [
        svc.CibleData(date(2023, 1, 1), 80, 70, date(2023, 12, 31)),
        svc.CibleData(date(2024, 1, 1), 90, 80),
    ]
    iid = svc.save_indicateur(db, data)
    assert svc.get_indicateur(db, iid).code == "HH"
    svc.save_mesures(db, iid, [svc.MesureData("2023-06", numerateur=85, denominateur=100), svc.MesureData("2024-06", numerateur=85, denominateur=100)])
    sr = svc.serie(db, iid)
    assert sr.cibles[0] == 80 and sr.cibles[-1] == 90  # the target valid at each period
    carte = svc.cartes(db)[0]
    assert carte.valeur == 85 and carte.cible == 90 and carte.etat == "alerte"
    assert svc.etat(95, 90, 80, "hausse") == "atteinte"
    assert svc.etat(70, 90, 80, "hausse") == "hors_cible"
    assert svc.etat(3, 4, 5, "baisse") == "atteinte" and svc.etat(4.5, 4, 5, "baisse") == "alerte"
    assert svc.etat(None, 4, 5, "baisse") == "sans_donnee" and svc.etat(3, None, None, "baisse") == "sans_cible"
    # overlapping targets are refused with a French message
    data = svc.get_indicateur(db, iid)
    data.cibles[0].fin = None
    with pytest.raises(ValidationError, match="se chevauchent"):
        svc.save_indicateur(db, data)


def test_duplicate_code_and_bad_results(db: Database) -> None:
    svc.save_indicateur(db, svc.IndicateurData(code="A1", libelle="Un"))
    with pytest.raises(ValidationError, match="déjà utilisé"):
        svc.save_indicateur(db, svc.IndicateurData(code="a1", libelle="Deux"))
    iid = svc.indicateur_id(db, "A1")
    with pytest.raises(UserError, match="dépasse le dénominateur"):
        svc.save_mesures(db, iid, [svc.MesureData("2024-01", numerateur=12, denominateur=10)])
    with pytest.raises(UserError, match="statut « XX » inconnu"):
        svc.save_mesures(db, iid, [svc.MesureData("2024-01", statut="XX")])
    assert svc.list_mesures(db, iid) == []


def test_missing_periods_and_statuses_in_series(demo_db: Database) -> None:
    sr = svc.serie(demo_db, svc.indicateur_id(demo_db, "DOULEUR-URG"))
    k = [p.code for p in sr.periodes].index(CAL.mois[demo_ind.PAIN_NOT_AUDITED[0]].code)
    assert sr.valeurs[k] is None and sr.statuts[k] is None  # a gap, kept on the axis
    assert len(sr.periodes) == 48
    sat = svc.serie(demo_db, svc.indicateur_id(demo_db, "SATISF-INT"))
    assert sat.statuts.count("NR") == 2 and sat.statuts.count("DI") == 1
    assert all(v is None for v, st in zip(sat.valeurs, sat.statuts, strict=True) if st in ("NR", "DI"))


def test_rebase_changes_limits_and_is_journaled(demo_db: Database) -> None:
    iid = svc.indicateur_id(demo_db, "CHUTES")
    before = svc.serie(demo_db, iid)
    assert before.spc.variation == "amelioration"
    with pytest.raises(ValidationError):
        svc.add_rebase(demo_db, iid, date(2024, 7, 1), "  ")
    svc.set_points_base(demo_db, iid, None)
    svc.add_rebase(demo_db, iid, date(2024, 7, 1), "Programme de prévention des chutes")
    after = svc.serie(demo_db, iid)
    assert len(after.spc.segments) == 2
    k = [p.code for p in after.periodes].index("2024-07")
    assert after.spc.points[k].centre < before.spc.points[k].centre
    assert any(a.nature == "rebase" and a.index == k for a in after.annotations)
    assert any(a.nature == "note" for a in after.annotations)
    with pytest.raises(UserError, match="déjà recalculées"):
        svc.add_rebase(demo_db, iid, date(2024, 7, 1), "encore")
    from sqlalchemy import select

    from qualite_app.socle import journal  # noqa: F401  (the journal is written by the session)
    from qualite_app.storage.tables import JournalAudit

    with demo_db.session() as s:
        kinds = set(s.scalars(select(JournalAudit.entite_type)))
    assert "Recalcul des limites" in kinds


def test_cards_filters_and_saved_dashboards(demo_db: Database) -> None:
    all_cards = svc.cartes(demo_db)
    assert len(all_cards) == 30
    hyg = svc.cartes(demo_db, svc.Filtres(theme="Hygiène"))
    assert {c.code for c in hyg} == {"HH-AUDIT", "BMR", "ICSHA", "PCC", "VAG"}
    ger = svc.cartes(demo_db, svc.Filtres(service_id=dict((n, i) for i, n in svc.services(demo_db))["Gériatrie aiguë"]))
    chutes = next(c for c in ger if c.code == "CHUTES")
    assert chutes.valeur is not None and chutes.valeur != next(c for c in all_cards if c.code == "CHUTES").valeur
    noms = [t.nom for t in svc.list_tableaux(demo_db)]
    assert noms == ["CDU", "CME", "Hygiène"]
    cdu = svc.get_tableau(demo_db, "cdu")
    assert len(svc.cartes(demo_db, cdu.filtres)) == 8
    svc.save_tableau(demo_db, "Bloc", svc.Filtres(secteur="MCO", codes=("CHECKLIST",)))
    assert [c.code for c in svc.cartes(demo_db, svc.get_tableau(demo_db, "Bloc").filtres)] == ["CHECKLIST"]
    with pytest.raises(UserError, match="Aucun tableau de bord nommé « Rien »"):
        svc.get_tableau(demo_db, "Rien")
    # cards up to a chosen period
    old = svc.cartes(demo_db, svc.Filtres(codes=("PLAINTES",)), jusqu_au=CAL.mois[7].debut - timedelta(days=1))
    assert old[0].periode == CAL.mois[6].libelle


def test_linked_paqss_actions_annotate_the_chart(demo_db: Database) -> None:
    """The demo links the falls-prevention action (started the month of the chart's note) to CHUTES; a new link shows too."""
    from qualite_app.paqss import services as paqss

    iid = svc.indicateur_id(demo_db, "CHUTES")
    sr = svc.serie(demo_db, iid)
    action = next(a for a in sr.annotations if a.nature == "action")
    start = CAL.mois[demo_ind.FALLS_PROGRAMME]
    assert action.texte.startswith(f"PAQSS-{start.debut.year}-CHUTES — Déployer le programme de prévention des chutes")
    assert sr.periodes[action.index].code == start.code
    other = paqss.list_actions(demo_db, paqss.ActionFilter(texte="CREX"))[0]
    paqss.link_indicator(demo_db, other.id, iid)
    assert other.reference in [r for r, _t, _d in paqss.actions_for_indicator(demo_db, iid)]
    # the report's series carry the same annotations as the detail
    carte = next(c for c in svc.cartes(demo_db, svc.Filtres(codes=("CHUTES",)), garder_series=True))
    assert carte.serie is not None
    assert {a.nature for a in carte.serie.annotations} == {"note", "action"}
