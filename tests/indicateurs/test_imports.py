"""Results imports: long format (mapping, preview, all or nothing) and HAS open data, re-read from the database."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from qualite_app.errors import UserError
from qualite_app.exchange.tableur import read_table
from qualite_app.indicateurs import demo as demo_ind
from qualite_app.indicateurs import imports as imp
from qualite_app.indicateurs import services as svc
from qualite_app.storage.database import Database
from tests.helpers.has import HAS_HEADERS, has_rows, make_has_csv, make_has_xlsx


@pytest.mark.parametrize("maker", [make_has_xlsx, make_has_csv])
def test_has_import_finds_our_row_and_statuses(demo_db: Database, tmp_path: Path, maker) -> None:  # type: ignore[no-untyped-def]
    f = maker(tmp_path / ("has.xlsx" if maker is make_has_xlsx else "has.csv"))
    ap = imp.preview_has(demo_db, read_table(f), "2026")
    assert ap.ligne == 3 and ap.finess_trouve in ("019990015", "019990023")
    props = {p.code: p for p in ap.propositions}
    assert set(props) == {"ESATIS48H-MCO", "ICSHA", "QLS-MCO", "QLS-CA"}
    e = props["ESATIS48H-MCO"]
    assert (e.valeur, e.denominateur, e.classe, e.statut) == (74.6, 312.0, "B", None)
    assert props["ICSHA"].statut == "DI" and props["ICSHA"].valeur is None
    assert props["QLS-MCO"].statut == "NR"
    assert props["QLS-CA"].valeur == 81.5 and not props["QLS-CA"].existe and props["QLS-CA"].au_catalogue
    assert "autre_indicateur_xyz" in ap.non_reconnues

    n = imp.commit_has(demo_db, ap)
    assert n == 4
    rows = {m.periode: m for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "ESATIS48H-MCO"))}
    assert rows["2026"].valeur == 74.6 and rows["2026"].classe == "B" and rows["2026"].denominateur == 312
    icsha = {m.periode: m for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "ICSHA"))}
    assert icsha["2026"].statut == "DI" and icsha["2026"].valeur is None
    qls_ca = svc.get_indicateur(demo_db, svc.indicateur_id(demo_db, "QLS-CA"))  # created from the catalogue
    assert qls_ca.source == "IQSS" and qls_ca.catalogue_code == "QLS-CA"
    # the DI result is shown as the latest on the card, without a value
    carte = next(c for c in svc.cartes(demo_db) if c.code == "ICSHA")
    assert carte.statut == "DI" and carte.etat == "sans_donnee" and carte.valeur_texte == "DI"


def test_has_import_without_our_establishment(demo_db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HAS_HEADERS)
    ws.append(has_rows()[0])
    wb.save(tmp_path / "autre.xlsx")
    with pytest.raises(UserError, match="aucune ligne pour notre établissement"):
        imp.preview_has(demo_db, read_table(tmp_path / "autre.xlsx"), "2026")


@pytest.mark.parametrize(("raw", "expected"), [(19990015, "019990015"), (19990015.0, "019990015"), ("19990015.0", "019990015"), (" 019 990 015", "019990015"), ("2A0001234", "2A0001234")])
def test_finess_normalisation(raw: object, expected: str) -> None:
    assert imp.norm_finess(raw) == expected


LONG = (
    "Code indicateur;Période;Service;Numérateur;Dénominateur;Valeur;Commentaire\n"
    "CHUTES;01/2026;;30;6000;;\n"
    "CHUTES;2026-02;Gériatrie aiguë;12;2000;;\n"
    "PLAINTES;2026-01;;;;9;Janvier calme\n"
    "SATISF-INT;2026-T1;;;;DI;Moins de 30 réponses\n"
)


def test_long_import_all_or_nothing(demo_db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "resultats.csv"
    bad.write_text(LONG + "HH-AUDIT;2026-01;;95;80;;\nPLAINTES;2026-13;;;;4;\nINCONNU;2026-01;;;;1;\n", encoding="utf-8")
    table = read_table(bad)
    mapping = imp.propose_mapping(table.headers)
    assert mapping["code"] == "Code indicateur" and mapping["denominateur"] == "Dénominateur"
    ap = imp.preview_mesures(demo_db, table, mapping)
    assert any(e.startswith("Ligne 6") and "dépasse le dénominateur" in e for e in ap.erreurs)
    assert any(e.startswith("Ligne 7") and "2026-13" in e for e in ap.erreurs)
    assert any("Ligne 8, colonne « Code indicateur »" in e for e in ap.erreurs)
    before = len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "CHUTES"), tous_services=True))
    with pytest.raises(UserError, match="Import refusé"):
        imp.commit(demo_db, ap)
    assert len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "CHUTES"), tous_services=True)) == before

    good = tmp_path / "bon.csv"
    good.write_text(LONG, encoding="utf-8")
    ap = imp.import_mesures(demo_db, good)
    assert not ap.erreurs and ap.creations + ap.mises_a_jour == 4  # the demo may already hold these periods
    chutes = {(m.periode, m.service): m for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "CHUTES"), tous_services=True)}
    assert chutes[("2026-01", "Établissement")].valeur == pytest.approx(5.0)  # 30 / 6000 × 1000
    assert chutes[("2026-02", "Gériatrie aiguë")].numerateur == 12
    satisf = {m.periode: m for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "SATISF-INT"))}
    assert satisf["2026-T1"].statut == "DI" and satisf["2026-T1"].valeur is None
    # importing the same file again updates, never duplicates
    again = imp.import_mesures(demo_db, good, dry_run=True)
    assert again.mises_a_jour == 4 and again.creations == 0


def test_long_import_preview_writes_nothing_and_commit_rechecks_against_the_base(demo_db: Database, tmp_path: Path) -> None:
    """The preview runs the import's own code in a rolled-back transaction; the commit runs it again, so an
    indicator deleted between the two refuses the whole import instead of writing part of it."""
    good = tmp_path / "bon.csv"
    good.write_text(LONG, encoding="utf-8")
    table = read_table(good)
    plaintes = svc.indicateur_id(demo_db, "PLAINTES")
    codes = ("CHUTES", "SATISF-INT")
    before = {c: len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, c), tous_services=True)) for c in codes}
    ap = imp.preview_mesures(demo_db, table, imp.propose_mapping(table.headers))
    assert not ap.erreurs and len(ap.lignes) == 4
    assert {c: len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, c), tous_services=True)) for c in codes} == before
    svc.delete_indicateur(demo_db, plaintes)
    with pytest.raises(UserError, match="aucun indicateur de code « PLAINTES »"):
        imp.commit(demo_db, ap)
    assert {c: len(svc.list_mesures(demo_db, svc.indicateur_id(demo_db, c), tous_services=True)) for c in codes} == before


def test_long_import_xlsx_with_dates_and_numbers(demo_db: Database, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Indicateur", "Mois", "Valeur"])
    ws.append(["dms-urg", datetime(2026, 1, 1), 198])
    ws.append(["DMS-URG", "02/2026", "201,5"])
    wb.save(tmp_path / "r.xlsx")
    ap = imp.import_mesures(demo_db, tmp_path / "r.xlsx")
    assert not ap.erreurs
    rows = {m.periode: m.valeur for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "DMS-URG"))}
    assert rows["2026-01"] == 198 and rows["2026-02"] == 201.5


def test_cli_import_has_dry_run_then_commit(demo_file: Path, tmp_path: Path) -> None:
    f = make_has_xlsx(tmp_path / "has.xlsx")
    env_cmd = [sys.executable, "-m", "qualite_app", "import", "has", str(f), "--periode", "2026", "--db", str(demo_file)]
    out = subprocess.run([*env_cmd, "--dry-run"], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert out.returncode == 0, out.stderr
    assert "ESATIS48H-MCO" in out.stdout and "rien n'a été écrit" in out.stdout
    out = subprocess.run(env_cmd, capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert out.returncode == 0, out.stderr
    assert "4 résultat(s) de la campagne 2026 importé(s)" in out.stdout
    spc = subprocess.run(
        [sys.executable, "-m", "qualite_app", "spc", "--indicator", "CHUTES", "--json", "--db", str(demo_file)],
        capture_output=True, text=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert spc.returncode == 0, spc.stderr
    import json

    data = json.loads(spc.stdout)
    assert data["indicateur"] == "CHUTES" and data["graphique"] == "u"
    assert any(p["variation"] == "amelioration" for p in data["points"])
    drop = demo_ind.calendrier(date.today()).mois[demo_ind.FALLS_PROGRAMME + 1]  # the demo was loaded today
    assert data["lecture"].startswith(f"18 points en dessous de la moyenne depuis {drop.libelle}")


def test_has_file_about_one_indicator(demo_db: Database, tmp_path: Path) -> None:
    """e-Satis files carry one indicator and no code in their column names: the user names it."""
    f = tmp_path / "esatis.csv"
    f.write_text(
        "finess;rs_finess;region;participation;nb_rep_score_all_rea_ajust;score_all_rea_ajust;classement;evolution;"
        "score_accueil_rea_ajust;score_repas_rea_ajust;taux_reco_brut\n"
        "750000001;Clinique des Autres;IDF;Oui;120;70,1;C;Stable;72,0;60,0;80,0\n"
        "19990023;CH de Val-de-Brume;ARA;Oui;287;75,3;B;En progression;78,0;61,2;88,0\n",
        encoding="utf-8",
    )
    table = read_table(f)
    # issue 8, point 13: the HAS naming (« rea » = MCO + 48 h) is recognised without --indicateur
    (loose,) = imp.preview_has(demo_db, table, "2026").propositions
    assert (loose.code, loose.cle, loose.valeur, loose.denominateur, loose.classe) == ("ESATIS48H-MCO", "score_all_rea_ajust", 75.3, 287.0, "B")
    ap = imp.preview_has(demo_db, table, "2026", indicateur="esatis48h-mco")
    assert ap.raison_sociale == "CH de Val-de-Brume"
    (p,) = ap.propositions
    assert (p.code, p.valeur, p.denominateur, p.classe) == ("ESATIS48H-MCO", 75.3, 287.0, "B")
    imp.commit_has(demo_db, ap)
    rows = {m.periode: m for m in svc.list_mesures(demo_db, svc.indicateur_id(demo_db, "ESATIS48H-MCO"))}
    assert rows["2026"].valeur == 75.3
    with pytest.raises(UserError, match="ni un indicateur suivi"):
        imp.preview_has(demo_db, table, "2026", indicateur="XYZ")
