"""Issue 8, points 13 and 14: HAS open-data files as a director gets them.

The workbooks are built like the real e-Satis / IQSS files: lower-case column names with the HAS's own
casing (``score_ALL_ssr_ajust``), FINESS stored as numbers (leading zero lost), results as text with a
decimal comma, and ``DI`` / ``NR`` / ``NV`` in place of values.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualite_app import cli
from qualite_app.errors import UserError
from qualite_app.exchange.tableur import read_table
from qualite_app.indicateurs import imports as imp
from qualite_app.indicateurs import services as svc
from qualite_app.storage.database import Database
from tests.helpers.has import (
    ESATIS_ID,
    OTHER,
    SITES_HEADERS,
    esatis_headers,
    esatis_row,
    only_ej,
    sites_rows,
    workbook,
)


# --- point 13: the HAS naming patterns --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("secteur", "all_token", "code"),
    [
        ("rea", "all", "ESATIS48H-MCO"),
        ("ssr", "ALL", "ESATIS-SMR"),
        ("smr", "all", "ESATIS-SMR"),
        ("ca", "all", "ESATIS-CA"),
    ],
)
def test_esatis_workbooks_recognised_without_indicateur(
    demo_db: Database, tmp_path: Path, secteur: str, all_token: str, code: str
) -> None:
    f = workbook(
        tmp_path / f"resultats-esatis-{secteur}.xlsx",
        esatis_headers(secteur, all_token),
        [
            esatis_row(*OTHER),
            esatis_row(19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", "76,4", "54", "B"),
        ],
    )
    ap = imp.preview_has(demo_db, read_table(f), "2025")
    (p,) = ap.propositions
    assert (p.code, p.valeur, p.denominateur, p.classe, p.statut) == (code, 76.4, 54.0, "B", None)
    roles = {c.entete: c.role for c in p.colonnes}
    assert roles[f"score_{all_token}_{secteur}_ajust"] == imp.ROLE_SCORE
    assert roles[f"nb_rep_score_{all_token}_{secteur}_ajust"] == imp.ROLE_EFFECTIF
    assert roles["classement"] == imp.ROLE_CLASSE and roles["evolution"] == imp.ROLE_IGNORE
    assert roles[f"score_accueil_{secteur}_ajust"] == imp.ROLE_IGNORE  # a sub-score is never the result


def test_esatis_di_overall_score_does_not_take_a_sub_score(demo_db: Database, tmp_path: Path) -> None:
    f = workbook(
        tmp_path / "esatis-ssr-2023.xlsx",
        esatis_headers("ssr", "ALL"),
        [
            esatis_row(
                19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", "DI", "21", "DI", sub="80,1"
            )
        ],
    )
    (p,) = imp.preview_has(demo_db, read_table(f), "2023").propositions
    assert (p.code, p.valeur, p.statut) == ("ESATIS-SMR", None, "DI")
    # no answer at all: the count 0 is no denominator, and the DI result is imported
    g = workbook(
        tmp_path / "esatis-ssr-2022.xlsx",
        esatis_headers("ssr", "ALL"),
        [esatis_row(19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", "DI", "0", "DI")],
    )
    ap = imp.preview_has(demo_db, read_table(g), "2022")
    assert ap.propositions[0].denominateur is None
    assert imp.commit_has(demo_db, ap) == 1


def test_sector_from_the_file_name_when_columns_do_not_carry_it(demo_db: Database, tmp_path: Path) -> None:
    heads = [*ESATIS_ID, "nb_rep_score_all_ajust", "score_all_ajust", "classement", "evolution"]
    row: list[object] = [
        19990015,
        "CH de Val-de-Brume",
        19990023,
        "CH de Val-de-Brume",
        "ARA",
        "Oui",
        "Oui",
        "61",
        "73,9",
        "C",
        "Stable",
    ]
    f = workbook(tmp_path / "resultats-esatis-smr-open-data-2022.xlsx", heads, [row])
    (p,) = imp.preview_has(demo_db, read_table(f), "2022").propositions
    assert (p.code, p.valeur, p.classe) == ("ESATIS-SMR", 73.9, "C")
    g = workbook(tmp_path / "resultats-2022.xlsx", heads, [row])
    with pytest.raises(UserError) as err:
        imp.preview_has(demo_db, read_table(g), "2022")
    assert (
        "ESATIS-SMR" in err.value.message
        and "ESATIS48H-MCO" in err.value.message
        and "--indicateur" in err.value.message
    )


def test_iqss_columns_res_classe_ic_nb(demo_db: Database, tmp_path: Path) -> None:
    # the confidence interval comes before the result: its bounds must never be taken for the result
    heads = ["finess", "raison_sociale", "finess_geo", "rs_finess_geo", "ic_bas_icsha", "ic_haut_icsha", "res_icsha", "classe_icsha", "nb_icsha",
             "classe_qls_mco", "res_qls_mco", "nb_dossiers_qls_mco", "res_pcd_mco"]  # fmt: skip
    row: list[object] = [19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", "88,1", "95,0", "92,3", "A", "1", "Non validé", "NV", "80",
                         "Données insuffisantes"]  # fmt: skip
    f = workbook(tmp_path / "iqss-2024.xlsx", heads, [row])
    props = {p.code: p for p in imp.preview_has(demo_db, read_table(f), "2024").propositions}
    assert (props["ICSHA"].valeur, props["ICSHA"].classe) == (92.3, "A")
    roles = {c.entete: c.role for c in props["ICSHA"].colonnes}
    assert roles["ic_bas_icsha"] == roles["ic_haut_icsha"] == imp.ROLE_IGNORE
    assert props["QLS-MCO"].statut == "NV" and props["QLS-MCO"].denominateur == 80
    assert (
        props["PCD-MCO"].statut == "DI" and props["PCD-MCO"].valeur is None
    )  # the status written in full words


def test_nothing_recognised_is_refused_with_close_candidates(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heads = ["finess", "rs_finess", "taux_vaccination_personnel", "nb_professionnels"]
    f = workbook(tmp_path / "enquete.xlsx", heads, [[19990015, "CH de Val-de-Brume", "45,2", "812"]])
    code = cli.main(["import", "has", str(f), "--periode", "2025", "--dry-run", "--db", str(demo_file)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "aucune colonne" in err and "VAG" in err and "--indicateur" in err


@pytest.mark.parametrize(
    ("ours", "exit_code", "expected"),
    [
        (("76,4", "54", "B"), 0, ("ESATIS-SMR", "valeur 76,4", "classe B")),
        (("", "", ""), 2, ("rien à importer",)),  # recognised columns, nothing for us: never a silent success
    ],
)
def test_cli_esatis_ssr_dry_run(
    demo_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    ours: tuple[str, str, str],
    exit_code: int,
    expected: tuple[str, ...],
) -> None:
    f = workbook(
        tmp_path / "esatis-ssr.xlsx",
        esatis_headers("ssr", "ALL"),
        [
            esatis_row(*OTHER),
            esatis_row(19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", *ours),
        ],
    )
    assert (
        cli.main(["import", "has", str(f), "--periode", "2025", "--dry-run", "--db", str(demo_file)])
        == exit_code
    )
    out = capsys.readouterr()
    assert all(x in out.out + out.err for x in expected), out


# --- point 14: several sites for one FINESS EJ ---------------------------------------------------------------


def test_several_sites_for_our_ej_are_listed_not_guessed(demo_db: Database, tmp_path: Path) -> None:
    only_ej(demo_db)
    table = read_table(workbook(tmp_path / "esatis-ssr-2023.xlsx", SITES_HEADERS, sites_rows()))
    with pytest.raises(imp.PlusieursSites) as err:
        imp.preview_has(demo_db, table, "2023")
    msg = err.value.message
    assert "019990023" in msg and "CH de Val-de-Brume — site Nord" in msg and "Brume-les-Bains" in msg
    assert "190000049" in msg and "Centre de réadaptation des Pins" in msg and "Saint-Aulas" in msg
    assert "--finess-geo" in msg
    assert [s.finess_geo for s in err.value.sites] == ["019990023", "190000049"]

    ap = imp.preview_has(demo_db, table, "2023", finess_geo="190000049")
    assert ap.ligne == 4 and ap.finess_trouve == "190000049"
    assert ap.raison_sociale == "Centre de réadaptation des Pins"  # the site's own name, not the EJ's
    (p,) = ap.propositions
    assert (p.valeur, p.denominateur, p.classe) == (68.0, 97.0, "C")
    with pytest.raises(UserError, match="750000019"):
        imp.preview_has(
            demo_db, table, "2023", finess_geo="750000019"
        )  # another EJ's site: refused, sites listed


def test_finess_et_known_picks_our_site(demo_db: Database, tmp_path: Path) -> None:
    table = read_table(workbook(tmp_path / "esatis-ssr-2023.xlsx", SITES_HEADERS, sites_rows()))
    ap = imp.preview_has(demo_db, table, "2023")  # the demo establishment has its FINESS ET 019990023
    assert ap.ligne == 3 and ap.raison_sociale == "CH de Val-de-Brume — site Nord"
    assert ap.propositions[0].valeur == 76.4


def test_cli_finess_geo(demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    only_ej(demo_db)
    path = demo_db.location
    demo_db.close()
    f = workbook(tmp_path / "esatis-ssr-2023.xlsx", SITES_HEADERS, sites_rows())
    assert cli.main(["import", "has", str(f), "--periode", "2023", "--dry-run", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "plusieurs sites" in err and "Centre de réadaptation des Pins" in err
    assert (
        cli.main(
            ["import", "has", str(f), "--periode", "2023", "--finess-geo", "190000049", "--db", str(path)]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Centre de réadaptation des Pins" in out and "GHT de Val-de-Brume" not in out
    with Database.open(path) as db:
        rows = {m.periode: m for m in svc.list_mesures(db, svc.indicateur_id(db, "ESATIS-SMR"))}
        assert rows["2023"].valeur == 68.0 and "ligne 4" in (rows["2023"].source or "")


def test_esatis_sector_not_in_catalogue_lists_the_esatis_candidates(
    demo_db: Database, tmp_path: Path
) -> None:
    f = workbook(
        tmp_path / "resultats-esatis-had-2025.xlsx",
        esatis_headers("had"),
        [esatis_row(19990015, "CH de Val-de-Brume", 19990023, "CH de Val-de-Brume", "79,0", "35", "B")],
    )
    with pytest.raises(UserError) as err:
        imp.preview_has(demo_db, read_table(f), "2025")
    msg = err.value.message
    assert (
        "aucune colonne" in msg
        and "score_all_had_ajust" in msg
        and "ESATIS-SMR" in msg
        and "--indicateur" in msg
    )
    (p,) = imp.preview_has(
        demo_db, read_table(f), "2025", indicateur="ESATIS-SMR"
    ).propositions  # the user names it
    assert (p.code, p.valeur, p.denominateur) == ("ESATIS-SMR", 79.0, 35.0)
